/// An integer rectangle with inclusive right and bottom edges, like dlib's `rectangle`:
/// empty when right < left or bottom < top.
struct PixelRect: Sendable, Equatable, Hashable {
    var left: Int
    var top: Int
    var right: Int
    var bottom: Int

    init(left: Int, top: Int, right: Int, bottom: Int) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// A `width` x `height` rectangle with its top-left corner at the origin.
    init(width: Int, height: Int) {
        self.init(left: 0, top: 0, right: width - 1, bottom: height - 1)
    }

    var width: Int { isEmpty ? 0 : right - left + 1 }
    var height: Int { isEmpty ? 0 : bottom - top + 1 }
    var area: Int { width * height }
    var isEmpty: Bool { right < left || bottom < top }

    func intersection(_ other: PixelRect) -> PixelRect {
        PixelRect(left: max(left, other.left), top: max(top, other.top),
                  right: min(right, other.right), bottom: min(bottom, other.bottom))
    }

    /// The smallest rectangle holding both (dlib's `a + b`); an empty operand is ignored.
    func enclosing(_ other: PixelRect) -> PixelRect {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return PixelRect(left: min(left, other.left), top: min(top, other.top),
                         right: max(right, other.right), bottom: max(bottom, other.bottom))
    }

    func contains(x: Int, y: Int) -> Bool {
        x >= left && x <= right && y >= top && y <= bottom
    }
}
