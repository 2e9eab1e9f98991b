/// Provider payloads evolve and sometimes disagree with their docs; a field of an unexpected type is treated as
/// absent instead of failing the whole document, so one odd field never turns a good event into `unparsed`.
extension KeyedDecodingContainer {
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
