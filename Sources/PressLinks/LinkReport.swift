public import PressCore

/// Why a link is broken.
public enum BrokenReason: Sendable, Hashable, CustomStringConvertible {
    case missingFile(String)
    case missingAnchor(String)
    case httpStatus(Int)
    case timeout
    case dnsFailure
    case connectionRefused
    case redirectLoop
    case tooManyRedirects(Int)
    case malformed(String)
    case network(String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "missing file (\(path))"
        case .missingAnchor(let anchor): return "missing anchor #\(anchor)"
        case .httpStatus(let status): return "HTTP \(status)"
        case .timeout: return "timeout"
        case .dnsFailure: return "DNS failure"
        case .connectionRefused: return "connection refused"
        case .redirectLoop: return "redirect loop"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects"
        case .malformed(let why): return "malformed link: \(why)"
        case .network(let message): return "network error: \(message)"
        }
    }

    /// A short stable code for machine-readable reports.
    public var code: String {
        switch self {
        case .missingFile: return "missing-file"
        case .missingAnchor: return "missing-anchor"
        case .httpStatus: return "http-status"
        case .timeout: return "timeout"
        case .dnsFailure: return "dns"
        case .connectionRefused: return "connection-refused"
        case .redirectLoop: return "redirect-loop"
        case .tooManyRedirects: return "too-many-redirects"
        case .malformed: return "malformed"
        case .network: return "network"
        }
    }
}

/// One broken link: the URL as written, the page that holds it, and where to fix it.
public struct BrokenLink: Sendable, Hashable {
    public var url: String
    /// Output file holding the link, relative to the checked folder.
    public var page: String
    /// The Markdown line or template that wrote it; the page and its line when unknown.
    public var source: SourceLocation
    public var reason: BrokenReason
}

public struct LinkReport: Sendable {
    public var broken: [BrokenLink]
    public var pagesChecked: Int
    public var linksChecked: Int
    public var externalChecked: Int
    public var externalSkipped: Int

    public var isClean: Bool { broken.isEmpty }
}
