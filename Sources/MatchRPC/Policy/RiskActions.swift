/// What a configurable risk does to a report's status, per application (`risk_actions` in the
/// config). docs/score-calibration.md, "How risks combine into the status", gives the order.
public enum RiskAction: String, Sendable, CaseIterable {
    /// The report is Declined.
    case decline
    /// The report is at most In Review.
    case review
    /// The warning is reported; the status is left to the score.
    case inform
}

/// Each configurable risk's action. NO_REFERENCE_IMAGE and NO_FACE_DETECTED always decline (there
/// is nothing to compare); LOW_FACE_MATCH_SIMILARITY follows the two score thresholds.
public struct RiskActions: Sendable, Equatable {
    /// The risks an application may configure.
    public static let configurable: [Risk] = [.multipleFacesDetected, .lowQuality, .faceTooSmall]

    /// Every configurable risk only informs: the status is the score's alone (the behaviour
    /// before risk actions existed).
    public static let `default` = RiskActions()

    private var actions: [Risk: RiskAction] = [:]

    public init() {}

    /// Fails for a risk that is not configurable.
    public init(_ actions: [Risk: RiskAction]) throws(RiskActionsError) {
        for risk in actions.keys where !Self.configurable.contains(risk) {
            throw .notConfigurable(risk)
        }
        self.actions = actions
    }

    public func action(for risk: Risk) -> RiskAction {
        actions[risk] ?? .inform
    }

    /// The status after the report's warnings have had their say: the most severe of the score's
    /// status and each configured warning's action.
    public func status(_ scoreStatus: MatchStatus, warnings: [MatchWarning]) -> MatchStatus {
        var status = scoreStatus
        for warning in warnings where Self.configurable.contains(warning.risk) {
            switch action(for: warning.risk) {
            case .decline: status = .declined
            case .review where status == .approved: status = .inReview
            case .review, .inform: break
            }
        }
        return status
    }
}

public enum RiskActionsError: Error, Equatable, CustomStringConvertible {
    case notConfigurable(Risk)

    public var description: String {
        switch self {
        case let .notConfigurable(risk):
            let names = RiskActions.configurable.map(\.rawValue).joined(separator: ", ")
            return "\(risk.rawValue) is not configurable (only \(names))"
        }
    }
}
