enum MatchRPCPlaceholder {}
