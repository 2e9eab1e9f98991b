import Foundation
import HookGateCore

/// The parts of Twilio's scheme that are about what gets signed: URL variants, the algorithm and the parameters.
enum TwilioURL {
    enum Algorithm { case sha1, sha256 }

    /// The algorithm `X-Twilio-Webhooks-Signature-Settings` asks for: absent header or no `algorithm=` means the
    /// legacy HMAC-SHA1; `HMAC_SHA256` means SHA-256; anything else is refused (nil), never guessed.
    static func algorithm(settings: String?) -> Algorithm? {
        guard let settings else { return .sha1 }
        for item in settings.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard pair.count == 2, pair[0] == "algorithm" else { continue }
            return pair[1] == "HMAC_SHA256" ? .sha256 : nil
        }
        return .sha1
    }

    /// The configured base URL and its other form: without its port when it names one, else with the scheme's
    /// default port (`:443` for https, `:80` for http).
    static func portVariants(of publicURL: String) -> [String] {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        guard let schemeEnd = base.range(of: "://") else { return [base] }
        let scheme = base[..<schemeEnd.lowerBound].lowercased()
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = base[authorityStart...].firstIndex(of: "/") ?? base.endIndex
        let authority = base[authorityStart..<authorityEnd]
        let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
        if let colon = authority[hostEnd...].lastIndex(of: ":") {
            return [base, String(base[..<colon]) + String(base[authorityEnd...])]
        }
        guard let port = ["https": ":443", "http": ":80"][scheme] else { return [base] }
        return [base, String(base[..<authorityEnd]) + port + String(base[authorityEnd...])]
    }

    /// The `bodySHA256` query value Twilio adds for JSON bodies, if the request URL has one.
    static func bodySHA256(inQueryOf pathAndQuery: String) -> Substring? {
        guard let question = pathAndQuery.firstIndex(of: "?") else { return nil }
        for item in pathAndQuery[pathAndQuery.index(after: question)...].split(separator: "&") where item.hasPrefix("bodySHA256=") {
            return item.dropFirst("bodySHA256=".count)
        }
        return nil
    }

    /// Names in byte order, each followed by its values: every value of a repeated name, sorted, de-duplicated
    /// (twilio-python `compute_signature`; byte order of UTF-8 is code-point order). Sorting the pairs and dropping
    /// adjacent repeats gives exactly that, without hashing every (possibly long) value.
    static func sortedParameters(_ form: FormFields) -> [UInt8] {
        let pairs = form.fields.sorted { left, right in
            left.name == right.name ? left.value.lexicographicallyPrecedes(right.value) : left.name.lexicographicallyPrecedes(right.name)
        }
        var out: [UInt8] = []
        out.reserveCapacity(pairs.reduce(0) { $0 + $1.name.count + $1.value.count })
        var previous: FormFields.Field?
        for pair in pairs {
            if let previous, previous.name == pair.name, previous.value == pair.value { continue }
            out += pair.name
            out += pair.value
            previous = pair
        }
        return out
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
