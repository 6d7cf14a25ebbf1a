/// The string syntax of label selectors, as `?labelSelector=` carries it.
extension LabelSelector {
    /// Parses `app=web,tier!=db`, `env in (a,b)`, `env notin (a)`, `key`, `!key`, `a==b`.
    /// Throws 400 BadRequest naming what is wrong.
    public init(parsing text: String) throws(KubeError) {
        var parser = SelectorParser(text: text)
        do {
            requirements = try parser.parseRequirements()
        } catch {
            throw KubeError.badRequest("unable to parse requirement: \(error.message) (in label selector \"\(text)\")")
        }
    }
}

struct SelectorSyntaxError: Error {
    var message: String
}

struct SelectorParser {
    enum Token: Equatable {
        case identifier(String)
        case openParen, closeParen, comma, equals, doubleEquals, notEquals, not, greater, less, end

        var text: String {
            switch self {
            case .identifier(let name): return name
            case .openParen: return "("
            case .closeParen: return ")"
            case .comma: return ","
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .not: return "!"
            case .greater: return ">"
            case .less: return "<"
            case .end: return "end of selector"
            }
        }
    }

    var tokens: [Token] = []
    var position = 0

    init(text: String) {
        tokens = SelectorParser.tokenize(text)
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\n": index += 1
            case "(": tokens.append(.openParen); index += 1
            case ")": tokens.append(.closeParen); index += 1
            case ",": tokens.append(.comma); index += 1
            case ">": tokens.append(.greater); index += 1
            case "<": tokens.append(.less); index += 1
            case "!":
                if index + 1 < characters.count, characters[index + 1] == "=" {
                    tokens.append(.notEquals); index += 2
                } else {
                    tokens.append(.not); index += 1
                }
            case "=":
                if index + 1 < characters.count, characters[index + 1] == "=" {
                    tokens.append(.doubleEquals); index += 2
                } else {
                    tokens.append(.equals); index += 1
                }
            default:
                var word = ""
                while index < characters.count, !" \t\n(),!=<>".contains(characters[index]) {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append(.identifier(word))
            }
        }
        tokens.append(.end)
        return tokens
    }

    var current: Token { tokens[min(position, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func parseRequirements() throws(SelectorSyntaxError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        if current == .end { return requirements }
        while true {
            requirements.append(try parseRequirement())
            switch advance() {
            case .end: return requirements
            case .comma: continue
            case let other: throw SelectorSyntaxError(message: "found '\(other.text)', expected ',' or end of selector")
            }
        }
    }

    mutating func parseRequirement() throws(SelectorSyntaxError) -> LabelSelector.Requirement {
        if current == .not {
            _ = advance()
            let key = try parseKey()
            return .init(key: key, op: .doesNotExist)
        }
        let key = try parseKey()
        switch current {
        case .comma, .end: return .init(key: key, op: .exists)
        case .equals, .doubleEquals:
            _ = advance()
            return .init(key: key, op: .equals, values: [try parseSingleValue()])
        case .notEquals:
            _ = advance()
            return .init(key: key, op: .notEquals, values: [try parseSingleValue()])
        case .greater, .less:
            let op: LabelSelector.Operator = advance() == .greater ? .greaterThan : .lessThan
            let value = try parseSingleValue()
            guard Int64(value) != nil else { throw SelectorSyntaxError(message: "for '>' and '<' the value must be an integer, got '\(value)'") }
            return .init(key: key, op: op, values: [value])
        case .identifier("in"), .identifier("notin"):
            let op: LabelSelector.Operator = advance() == .identifier("in") ? .in : .notIn
            return .init(key: key, op: op, values: try parseValueSet())
        case let other:
            throw SelectorSyntaxError(message: "found '\(other.text)', expected one of '=', '==', '!=', 'in', 'notin' after key '\(key)'")
        }
    }

    mutating func parseKey() throws(SelectorSyntaxError) -> String {
        guard case .identifier(let key) = current else {
            throw SelectorSyntaxError(message: "found '\(current.text)', expected a label key")
        }
        _ = advance()
        if let problem = LabelSyntax.keyProblem(key) { throw SelectorSyntaxError(message: problem) }
        return key
    }

    /// The value after `=`, `==` or `!=`; may be empty (`a=` selects an empty value).
    mutating func parseSingleValue() throws(SelectorSyntaxError) -> String {
        switch current {
        case .identifier(let value):
            _ = advance()
            if let problem = LabelSyntax.valueProblem(value) { throw SelectorSyntaxError(message: problem) }
            return value
        case .comma, .end: return ""
        case let other: throw SelectorSyntaxError(message: "found '\(other.text)', expected a value")
        }
    }

    mutating func parseValueSet() throws(SelectorSyntaxError) -> [String] {
        let open = advance()
        guard open == .openParen else { throw SelectorSyntaxError(message: "found '\(open.text)', expected '('") }
        if current == .closeParen { throw SelectorSyntaxError(message: "for 'in' and 'notin' the set of values can't be empty") }
        var values: [String] = []
        while true {
            switch current {
            case .identifier(let value):
                _ = advance()
                if let problem = LabelSyntax.valueProblem(value) { throw SelectorSyntaxError(message: problem) }
                values.append(value)
            case .comma, .closeParen:
                values.append("")  // `(a,,b)` selects the empty value too
            case let other:
                throw SelectorSyntaxError(message: "found '\(other.text)', expected a value or ')'")
            }
            switch advance() {
            case .comma: continue
            case .closeParen: return values
            case let other: throw SelectorSyntaxError(message: "found '\(other.text)', expected ',' or ')'")
            }
        }
    }
}
