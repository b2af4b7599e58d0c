/// The methods a request envelope can name.
public enum RPCMethod: String, Sendable, CaseIterable {
    case compare = "Compare"
    case enroll = "Enroll"
    case verify = "Verify"
    case identify = "Identify"
    case deleteEnrollment = "DeleteEnrollment"
    case health = "Health"
}
