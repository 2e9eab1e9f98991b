/// Provider payloads evolve and sometimes disagree with their docs; a field of an unexpected type is treated as
/// absent instead of failing the whole document, so one odd field never turns a good event into `unparsed`.
extension KeyedDecodingContainer {
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}

extension Optional where Wrapped == String {
    /// Nil for an absent or empty string: providers send `""` for "not known" as often as they omit the field.
    var nonEmpty: String? {
        flatMap { $0.isEmpty ? nil : $0 }
    }
}
