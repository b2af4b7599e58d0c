public struct CandidateMessage: Sendable, Equatable {
    public var subjectID: String
    public var score: Double
    public var distance: Double

    public init(subjectID: String, score: Double, distance: Double) {
        self.subjectID = subjectID
        self.score = score
        self.distance = distance
    }
}
