/// A 2-D affine map `p ↦ M·p + t` in double precision, as dlib's point_transform_affine.
struct AffineTransform: Sendable, Equatable {
    /// Row-major 2x2 linear part.
    var m00, m01, m10, m11: Double
    var tx, ty: Double

    init(m00: Double, m01: Double, m10: Double, m11: Double, tx: Double, ty: Double) {
        self.m00 = m00
        self.m01 = m01
        self.m10 = m10
        self.m11 = m11
        self.tx = tx
        self.ty = ty
    }

    @inline(__always) func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (m00 * x + m01 * y + tx, m10 * x + m11 * y + ty)
    }

    /// The least-squares similarity (scale, rotation, translation; no reflection) taking `from`
    /// onto `to`: Umeyama's solution, written in the closed form it has in two dimensions.
    /// Returns nil when the point lists differ in length or hold fewer than two points.
    static func similarity(from: [(x: Double, y: Double)], to: [(x: Double, y: Double)]) -> AffineTransform? {
        guard from.count == to.count, from.count >= 2 else { return nil }
        let n = Double(from.count)
        var fromMean = (x: 0.0, y: 0.0), toMean = (x: 0.0, y: 0.0)
        for i in from.indices {
            fromMean.x += from[i].x; fromMean.y += from[i].y
            toMean.x += to[i].x; toMean.y += to[i].y
        }
        fromMean = (fromMean.x / n, fromMean.y / n)
        toMean = (toMean.x / n, toMean.y / n)
        // sigma: mean squared spread of `from`; dot/cross: the rotation-relevant parts of the
        // cross-covariance (its trace and antisymmetric part).
        var sigma = 0.0, dot = 0.0, cross = 0.0
        for i in from.indices {
            let ax = from[i].x - fromMean.x, ay = from[i].y - fromMean.y
            let bx = to[i].x - toMean.x, by = to[i].y - toMean.y
            sigma += ax * ax + ay * ay
            dot += ax * bx + ay * by
            cross += ax * by - ay * bx
        }
        let a: Double, b: Double
        if sigma == 0 {
            (a, b) = (1, 0)
        } else {
            (a, b) = (dot / sigma, cross / sigma)
        }
        return AffineTransform(m00: a, m01: -b, m10: b, m11: a,
                               tx: toMean.x - (a * fromMean.x - b * fromMean.y),
                               ty: toMean.y - (b * fromMean.x + a * fromMean.y))
    }

    /// The exact affine map taking three points onto three others (dlib's find_affine_transform
    /// with three correspondences). Nil when the source points are collinear.
    static func affine(from p: [(x: Double, y: Double)], to q: [(x: Double, y: Double)]) -> AffineTransform? {
        guard p.count == 3, q.count == 3 else { return nil }
        // Solve [x y 1] · coefficients = target for each output coordinate (Cramer's rule).
        let det = p[0].x * (p[1].y - p[2].y) - p[0].y * (p[1].x - p[2].x) + (p[1].x * p[2].y - p[2].x * p[1].y)
        guard det != 0, det.isFinite else { return nil }
        func solve(_ v0: Double, _ v1: Double, _ v2: Double) -> (Double, Double, Double) {
            let a = (v0 * (p[1].y - p[2].y) - p[0].y * (v1 - v2) + (v1 * p[2].y - v2 * p[1].y)) / det
            let b = (p[0].x * (v1 - v2) - v0 * (p[1].x - p[2].x) + (p[1].x * v2 - p[2].x * v1)) / det
            let c = (p[0].x * (p[1].y * v2 - p[2].y * v1) - p[0].y * (p[1].x * v2 - p[2].x * v1)
                + v0 * (p[1].x * p[2].y - p[2].x * p[1].y)) / det
            return (a, b, c)
        }
        let (a, b, c) = solve(q[0].x, q[1].x, q[2].x)
        let (d, e, f) = solve(q[0].y, q[1].y, q[2].y)
        return AffineTransform(m00: a, m01: b, m10: d, m11: e, tx: c, ty: f)
    }
}
