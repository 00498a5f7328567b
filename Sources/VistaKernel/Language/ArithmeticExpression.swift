import Foundation

/// The calculator a cell falls back to: numbers, `+ - * / % ^`, unary minus and parentheses.
///
/// `^` is right-associative and binds tighter than unary minus (`-2^2` is -4), as in mathematics.
public enum ArithmeticExpression {
  /// True when the line looks like an expression rather than a command (starts with a digit, a sign,
  /// a dot or a parenthesis, and uses only expression characters).
  public static func looksLikeExpression(_ text: String) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let first = trimmed.first, first.isNumber || "(-+.".contains(first) else { return false }
    return trimmed.allSatisfy { $0.isNumber || $0.isWhitespace || "+-*/%^().eE".contains($0) }
  }

  /// Evaluates `text`. Errors carry the character offset of the problem.
  public static func evaluate(_ text: String) throws -> Double {
    var parser = Parser(chars: Array(text))
    let value = try parser.expression()
    parser.skipSpaces()
    if parser.index < parser.chars.count {
      throw ExpressionError(message: "unexpected '\(parser.chars[parser.index])'", offset: parser.index)
    }
    guard value.isFinite else { throw ExpressionError(message: "the result is not a finite number", offset: 0) }
    return value
  }

  public struct ExpressionError: Error, Equatable {
    public var message: String
    public var offset: Int
  }

  struct Parser {
    let chars: [Character]
    var index = 0

    mutating func skipSpaces() { while index < chars.count, chars[index].isWhitespace { index += 1 } }

    mutating func peek() -> Character? { skipSpaces(); return index < chars.count ? chars[index] : nil }

    mutating func expression() throws -> Double {
      var value = try term()
      while let c = peek(), c == "+" || c == "-" {
        index += 1
        let rhs = try term()
        value = c == "+" ? value + rhs : value - rhs
      }
      return value
    }

    mutating func term() throws -> Double {
      var value = try unary()
      while let c = peek(), c == "*" || c == "/" || c == "%" {
        let at = index
        index += 1
        let rhs = try unary()
        if (c == "/" || c == "%") && rhs == 0 { throw ExpressionError(message: "division by zero", offset: at) }
        switch c {
        case "*": value *= rhs
        case "/": value /= rhs
        default: value = value.truncatingRemainder(dividingBy: rhs)
        }
      }
      return value
    }

    mutating func unary() throws -> Double {
      if let c = peek(), c == "-" || c == "+" {
        index += 1
        let v = try unary()
        return c == "-" ? -v : v
      }
      return try power()
    }

    mutating func power() throws -> Double {
      let base = try primary()
      if peek() == "^" {
        index += 1
        let exponent = try unary()
        return pow(base, exponent)
      }
      return base
    }

    mutating func primary() throws -> Double {
      guard let c = peek() else { throw ExpressionError(message: "expected a number", offset: index) }
      if c == "(" {
        let open = index
        index += 1
        let v = try expression()
        guard peek() == ")" else { throw ExpressionError(message: "unclosed parenthesis", offset: open) }
        index += 1
        return v
      }
      let start = index
      while index < chars.count, chars[index].isNumber || chars[index] == "." { index += 1 }
      if index < chars.count, chars[index] == "e" || chars[index] == "E" {
        var j = index + 1
        if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
        if j < chars.count, chars[j].isNumber {
          index = j
          while index < chars.count, chars[index].isNumber { index += 1 }
        }
      }
      guard index > start, let v = Double(String(chars[start..<index])) else {
        throw ExpressionError(message: "expected a number, got '\(c)'", offset: start)
      }
      return v
    }
  }
}
