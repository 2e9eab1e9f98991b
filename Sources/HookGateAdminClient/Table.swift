import Foundation

/// A plain-text table for people: a header row, columns padded to their widest cell, long cells cut with `…`.
public struct Table {
    public let columns: [String]
    public private(set) var rows: [[String]] = []
    /// The widest a cell may be; URLs and ids rarely need more.
    let maxWidth: Int

    public init(_ columns: [String], maxWidth: Int = 60) {
        self.columns = columns
        self.maxWidth = maxWidth
    }

    public mutating func add(_ cells: [String]) {
        rows.append(cells.map { $0.count > maxWidth ? String($0.prefix(maxWidth - 1)) + "…" : $0 })
    }

    public func render() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() where index < widths.count {
                let last = index == widths.count - 1
                text += last ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return text
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n")
    }
}

/// Cell text for a JSON value the API returned: nothing for null, lists joined with commas.
public func cell(_ value: Any?) -> String {
    switch value {
    case nil, is NSNull: return ""
    case let text as String: return text
    case let list as [Any]: return list.map { cell($0) }.joined(separator: ",")
    case let number as NSNumber: return String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : number.stringValue
    case let value?: return "\(value)"
    }
}
