extension RiskActions {
    /// An application's `risk_actions` object: risk name → "decline", "review" or "inform".
    init(config: [String: String], applicationIndex index: Int) throws(ConfigError) {
        var actions: [Risk: RiskAction] = [:]
        let names = RiskActions.configurable.map(\.rawValue).joined(separator: ", ")
        for (name, value) in config.sorted(by: { $0.key < $1.key }) {
            guard let risk = Risk(rawValue: name), RiskActions.configurable.contains(risk) else {
                throw .invalidApplication(index: index, reason: "risk_actions: \(name) is not configurable (only \(names))")
            }
            guard let action = RiskAction(rawValue: value) else {
                throw .invalidApplication(index: index, reason: "risk_actions: \(name) must be decline, review or inform, got \(value)")
            }
            actions[risk] = action
        }
        do { try self.init(actions) } catch { throw .invalidApplication(index: index, reason: "risk_actions: \(error)") }
    }
}
