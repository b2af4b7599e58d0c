/// An integer rectangle with inclusive right and bottom edges, like dlib's `rectangle`:
/// empty when right < left or bottom < top.
public struct PixelRect: Sendable, Equatable, Hashable {
    public var left: Int
    public var top: Int
    public var right: Int
    public var bottom: Int

    public init(left: Int, top: Int, right: Int, bottom: Int) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// A `width` x `height` rectangle with its top-left corner at the origin.
    public init(width: Int, height: Int) {
        self.init(left: 0, top: 0, right: width - 1, bottom: height - 1)
    }

    public var width: Int { isEmpty ? 0 : right - left + 1 }
    public var height: Int { isEmpty ? 0 : bottom - top + 1 }
    public var area: Int { width * height }
    public var isEmpty: Bool { right < left || bottom < top }

    public func intersection(_ other: PixelRect) -> PixelRect {
        PixelRect(left: max(left, other.left), top: max(top, other.top),
                  right: min(right, other.right), bottom: min(bottom, other.bottom))
    }

    /// The smallest rectangle holding both (dlib's `a + b`); an empty operand is ignored.
    public func enclosing(_ other: PixelRect) -> PixelRect {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return PixelRect(left: min(left, other.left), top: min(top, other.top),
                         right: max(right, other.right), bottom: max(bottom, other.bottom))
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= left && x <= right && y >= top && y <= bottom
    }
}
