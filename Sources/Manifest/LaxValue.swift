import YAMLDocument

/// The conversions SWE-ReX's pydantic models accept, so that configs written for it load unchanged:
/// numbers given as strings (`port: "8000"`), whole floats as integers, and pydantic's boolean words
/// (`yes`, `off`, `1`, any case), which YAML 1.1 loaders such as PyYAML also read as booleans.
enum LaxValue {
    static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text): return Int(text.trimmingSpaces())
        default: return nil
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .string(let text):
            let trimmed = text.trimmingSpaces()
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(trimmed)
        default: return nil
        }
    }

    static func flag(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(0): return false
        case .int(1): return true
        case .string(let text):
            switch text.lowercased() {
            case "true", "t", "yes", "y", "on", "1": return true
            case "false", "f", "no", "n", "off", "0": return false
            default: return nil
            }
        default: return nil
        }
    }
}
