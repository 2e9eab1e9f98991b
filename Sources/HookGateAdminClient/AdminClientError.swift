/// Why an admin API call failed, with the exit code the CLI ends with (sysexits.h, so scripts can tell them apart).
public enum AdminClientError: Error, CustomStringConvertible {
    /// No answer: the gateway is not running there, or the network is in the way.
    case unreachable(String, any Error)
    /// The gateway answered with an error status.
    case refused(AdminClient.Reply)

    public var description: String {
        switch self {
        case .unreachable(let url, let error):
            return "cannot reach the admin API at \(url) (\(error)); is the gateway running? Set --admin-url or HOOKGATE_ADMIN_URL"
        case .refused(let reply):
            let detail = reply.object["detail"] as? String ?? reply.text
            switch reply.status {
            case 401: return "401 unauthorized: \(detail) (set --token or HOOKGATE_ADMIN_TOKEN)"
            case 403: return "403 forbidden: \(detail) (this token's role may only read)"
            default: return "\(reply.status) \(reply.object["error"] as? String ?? "error"): \(detail)"
            }
        }
    }

    /// 69 unreachable, 77 no permission (401/403), 65 bad input (400), 66 not found (404), 75 try again (409, 503),
    /// 1 anything else.
    public var exitCode: Int32 {
        switch self {
        case .unreachable: return 69
        case .refused(let reply):
            switch reply.status {
            case 401, 403: return 77
            case 400: return 65
            case 404: return 66
            case 409, 503: return 75
            default: return 1
            }
        }
    }
}
