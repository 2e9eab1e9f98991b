import Foundation

/// Expands `${NAME}` and `${NAME:-default}` in configuration values.
///
/// Substitution happens on parsed scalar values, never on the raw file, so a variable's content can't change the
/// YAML structure and errors keep their line numbers.
enum EnvironmentSubstitution {
    enum Failure: Error, Equatable {
        case missing(String)
        case unterminated
    }

    static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[rest.startIndex..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else { throw .unterminated }
            let reference = afterOpen[afterOpen.startIndex..<close]
            let name: Substring
            let fallback: Substring?
            if let separator = reference.range(of: ":-") {
                name = reference[reference.startIndex..<separator.lowerBound]
                fallback = reference[separator.upperBound...]
            } else {
                name = reference
                fallback = nil
            }
            if let value = environment[String(name)] {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                throw .missing(String(name))
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        return result
    }
}
