import VistaCore

/// umap-learn's `find_ab_params`: the a, b of the output kernel 1 / (1 + a·d^{2b}) that best fit
/// (least squares, 300 points on [0, 3·spread]) the curve that is 1 below `min_dist` and
/// exp(−(d − min_dist)/spread) above, solved by Levenberg–Marquardt from (1, 1) as scipy does.
public enum CurveFit {
  public static func abParameters(spread: Double, minDist: Double) throws -> (a: Double, b: Double) {
    guard spread > 0, spread.isFinite else { throw VistaError("spread must be > 0, got \(spread)", at: "option spread") }
    guard minDist >= 0, minDist <= spread else {
      throw VistaError("min_dist must be in [0, spread = \(spread)], got \(minDist)", at: "option min_dist")
    }
    let count = 300
    let xs = (0..<count).map { 3 * spread * Double($0) / Double(count - 1) }
    let ys = xs.map { $0 < minDist ? 1.0 : LibM.exp(-($0 - minDist) / spread) }

    func residuals(_ a: Double, _ b: Double) -> [Double] {
      zip(xs, ys).map { x, y in 1 / (1 + a * LibM.pow(x, 2 * b)) - y }
    }
    func cost(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }

    var a = 1.0, b = 1.0
    var r = residuals(a, b)
    var c = cost(r)
    var lambda = 1e-3
    for _ in 0..<500 {
      // Normal equations JᵀJ δ = −Jᵀr, with J = ∂f/∂(a, b).
      var jaa = 0.0, jab = 0.0, jbb = 0.0, ga = 0.0, gb = 0.0
      for (i, x) in xs.enumerated() where x > 0 {
        let p = LibM.pow(x, 2 * b)
        let denominator = (1 + a * p) * (1 + a * p)
        let da = -p / denominator
        let db = -a * p * 2 * LibM.log(x) / denominator
        jaa += da * da; jab += da * db; jbb += db * db
        ga += da * r[i]; gb += db * r[i]
      }
      var improved = false
      while lambda < 1e12 {
        let m11 = jaa * (1 + lambda), m22 = jbb * (1 + lambda), m12 = jab
        let det = m11 * m22 - m12 * m12
        if det == 0 { lambda *= 10; continue }
        let stepA = -(m22 * ga - m12 * gb) / det
        let stepB = -(m11 * gb - m12 * ga) / det
        let newR = residuals(a + stepA, b + stepB)
        let newC = cost(newR)
        if newC.isFinite && newC <= c {
          let converged = abs(c - newC) <= 1e-15 * max(c, 1e-300) || (abs(stepA) < 1e-12 && abs(stepB) < 1e-12)
          a += stepA; b += stepB; r = newR; c = newC
          lambda = max(lambda / 10, 1e-12)
          improved = true
          if converged { return (a, b) }
          break
        }
        lambda *= 10
      }
      if !improved { break }
    }
    return (a, b)
  }
}
