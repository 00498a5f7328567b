import COpenBLAS
import Foundation
import VistaCore

/// Settings for training a TopK SAE (Gao et al. 2024 recipe, with Anthropic-style dead-latent resampling).
public struct TopKTrainingOptions: Sendable, Equatable {
  public var latents: Int = 4096
  public var k: Int = 32
  public var epochs: Int = 2
  /// Tokens per Adam step.
  public var batchSize: Int = 1024
  public var learningRate: Float = 1e-3
  public var seed: UInt64 = 1
  /// A latent that has not fired for this many tokens counts as dead and is resampled (at most half the
  /// training tokens, so that small sets can call a latent dead at all).
  public var deadAfterTokens: Int = 100_000
  /// Check for dead latents every this many steps (0 disables resampling).
  public var resampleEverySteps: Int = 100
  /// No resampling in the last fraction of training, so resampled latents get time to settle.
  public var resampleStopFraction: Double = 0.75
  /// Train (and evaluate) on a seeded random sample of at most this many tokens; nil uses them all. Bounds the
  /// time on big sets (WordNet's ~2.4M tokens) where a few hundred thousand tokens already give a good SAE.
  public var maxTokens: Int? = nil

  public init(latents: Int = 4096, k: Int = 32, epochs: Int = 2, batchSize: Int = 1024, learningRate: Float = 1e-3, seed: UInt64 = 1) {
    self.latents = latents
    self.k = k
    self.epochs = epochs
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.seed = seed
  }
}

/// How well a trained SAE reconstructs its training data.
public struct SAETrainingReport: Sendable, Equatable {
  /// 1 - sum |x - x_hat|^2 / sum |x - mean|^2 over all training tokens, after training.
  public var fractionOfVarianceExplained: Double
  /// Mean number of non-zero codes per token.
  public var meanL0: Double
  /// Fraction of latents that never fire on the training tokens.
  public var deadFraction: Double
  /// Mean normalised MSE per epoch (|e|^2 / |x - mean|^2 over the epoch's batches).
  public var epochLosses: [Double]
  public var steps: Int
  public var resampledLatents: Int
  public var seconds: Double
  public var tokens: Int

  public init(fractionOfVarianceExplained: Double, meanL0: Double, deadFraction: Double, epochLosses: [Double],
              steps: Int, resampledLatents: Int, seconds: Double, tokens: Int) {
    self.fractionOfVarianceExplained = fractionOfVarianceExplained; self.meanL0 = meanL0
    self.deadFraction = deadFraction; self.epochLosses = epochLosses; self.steps = steps
    self.resampledLatents = resampledLatents; self.seconds = seconds; self.tokens = tokens
  }
}

extension SparseAutoencoder {
  /// Trains a TopK SAE on `activations` (tokens x d_in) with Adam; decoder rows are kept at unit norm (their
  /// gradient's radial part is removed before each step); latents that stop firing are resampled towards badly
  /// reconstructed inputs. Inputs are scaled to mean squared norm d_in for training and the scale is folded into
  /// the returned weights, so the SAE applies to raw activations. Same seed, same data, same thread count: same SAE.
  public static func trainTopK(on activations: Matrix, options: TopKTrainingOptions = TopKTrainingOptions(),
                               progress: VistaCore.Progress = .none) throws -> (SparseAutoencoder, SAETrainingReport) {
    if let limit = options.maxTokens, limit < 1 {
      throw VistaError("max tokens must be at least 1, got \(limit)", at: "sae train")
    }
    var data = activations
    if let limit = options.maxTokens, limit < activations.rows {
      var generator = SeededGenerator.stream(seed: options.seed, index: 0x5A3)
      var rows = Array(0..<activations.rows)
      rows.shuffle(using: &generator)
      data = activations.selectingRows(Array(rows.prefix(limit)).sorted())
    }
    var trainer = try TopKTrainer(data: data, options: options)
    return try trainer.run(progress: progress)
  }
}

/// The training state: parameters in training layout (encoder as d_sae x d_in rows, so per-latent gradients are
/// contiguous), Adam moments, and per-latent "last fired" counters.
struct TopKTrainer {
  let options: TopKTrainingOptions
  let data: Matrix
  let n: Int, d: Int, m: Int, k: Int
  var scale: Float = 1
  var encoder: [Float]  // m x d
  var encoderBias: [Float]  // m
  var decoder: [Float]  // m x d, unit rows
  var decoderBias: [Float]  // d
  var adam: [AdamState]
  var tokensSinceFired: [Int]
  var random: SeededGenerator
  var step = 0

  init(data: Matrix, options: TopKTrainingOptions) throws {
    guard data.rows >= 1 else { throw VistaError("no activations to train on", at: "sae train") }
    guard options.k >= 1 && options.k <= options.latents else {
      throw VistaError("k must be between 1 and the number of latents (\(options.latents)), found \(options.k)", at: "option k")
    }
    guard options.latents >= 1, options.batchSize >= 1, options.epochs >= 1 else {
      throw VistaError("latents, batch size and epochs must be positive", at: "sae train")
    }
    if let bad = data.firstNonFinite() {
      throw VistaError("activations contain NaN or Inf at row \(bad.row), column \(bad.col)", at: "sae train")
    }
    self.options = options
    self.data = data
    n = data.rows; d = data.cols; m = options.latents; k = options.k
    random = SeededGenerator(seed: options.seed)
    // Scale so the mean squared norm is d (learning rates then mean the same for any input scale).
    var squared = 0.0
    for v in data.storage { squared += Double(v) * Double(v) }
    let meanSquared = squared / Double(n)
    scale = meanSquared > 0 ? Float((Double(d) / meanSquared).squareRoot()) : 1
    // Decoder rows: random unit directions; encoder starts as the decoder's transpose (tied init); b_dec = data mean.
    decoder = [Float](repeating: 0, count: m * d)
    for j in 0..<m {
      var norm: Float = 0
      for i in 0..<d { let g = Float(random.nextGaussian()); decoder[j * d + i] = g; norm += g * g }
      let inv = 1 / max(norm.squareRoot(), 1e-12)
      for i in 0..<d { decoder[j * d + i] *= inv }
    }
    encoder = decoder
    encoderBias = [Float](repeating: 0, count: m)
    decoderBias = [Float](repeating: 0, count: d)
    for r in 0..<n { for i in 0..<d { decoderBias[i] += data.storage[r * d + i] } }
    for i in 0..<d { decoderBias[i] = decoderBias[i] / Float(n) * scale }
    adam = [AdamState(count: m * d), AdamState(count: m), AdamState(count: m * d), AdamState(count: d)]
    tokensSinceFired = [Int](repeating: 0, count: m)
  }

  mutating func run(progress: VistaCore.Progress) throws -> (SparseAutoencoder, SAETrainingReport) {
    let started = Date()
    let batch = min(options.batchSize, n)
    let stepsPerEpoch = (n + batch - 1) / batch
    let totalSteps = stepsPerEpoch * options.epochs
    let buffers = StepBuffers(batch: batch, d: d, m: m, k: k)
    var epochLosses: [Double] = []
    var resampled = 0
    var order = Array(0..<n)
    let variance = dataVariance()  // per-token mean |x - mean|^2, training scale
    for epoch in 0..<options.epochs {
      order.shuffle(using: &random)
      var epochError = 0.0, epochTokens = 0
      for s in 0..<stepsPerEpoch {
        try progress.checkCancelled()
        let rows = Array(order[(s * batch)..<min(n, (s + 1) * batch)])
        let error = trainStep(rows, buffers)
        epochError += error
        epochTokens += rows.count
        step += 1
        if options.resampleEverySteps > 0 && step % options.resampleEverySteps == 0
          && Double(step) < options.resampleStopFraction * Double(totalSteps) {
          resampled += resampleDeadLatents(rows, buffers)
        }
        progress.update("training SAE (epoch \(epoch + 1)/\(options.epochs))", Double(step) / Double(totalSteps))
      }
      epochLosses.append(epochError / Double(max(epochTokens, 1)) / max(variance, 1e-30))
    }
    let sae = try exportSAE()
    let evaluation = try evaluate(sae, progress: progress)
    let report = SAETrainingReport(
      fractionOfVarianceExplained: evaluation.fve, meanL0: evaluation.l0, deadFraction: evaluation.dead, epochLosses: epochLosses,
      steps: step, resampledLatents: resampled, seconds: Date().timeIntervalSince(started), tokens: n)
    return (sae, report)
  }

  func dataVariance() -> Double {
    var mean = [Double](repeating: 0, count: d)
    for r in 0..<n { for i in 0..<d { mean[i] += Double(data.storage[r * d + i]) } }
    for i in 0..<d { mean[i] /= Double(n) }
    var total = 0.0
    for r in 0..<n { for i in 0..<d { let v = Double(data.storage[r * d + i]) - mean[i]; total += v * v } }
    return total / Double(n) * Double(scale * scale)
  }

  /// Scratch space reused by every step, as raw buffers so hot loops carry no copy-on-write checks.
  final class StepBuffers {
    let x, centered, pre, error, centeredGrad, values: UnsafeMutableBufferPointer<Float>
    let chosen: UnsafeMutableBufferPointer<Int32>
    let encoderGrad, encoderBiasGrad, decoderGrad, decoderBiasGrad: UnsafeMutableBufferPointer<Float>
    let touched: UnsafeMutableBufferPointer<Bool>
    var selector: TopKSelector

    init(batch: Int, d: Int, m: Int, k: Int) {
      func floats(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
        let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        p.initialize(repeating: 0)
        return p
      }
      x = floats(batch * d); centered = floats(batch * d); error = floats(batch * d); centeredGrad = floats(batch * d)
      pre = floats(batch * m)
      values = floats(batch * k)
      chosen = .allocate(capacity: batch * k)
      chosen.initialize(repeating: 0)
      encoderGrad = floats(m * d); decoderGrad = floats(m * d)
      encoderBiasGrad = floats(m); decoderBiasGrad = floats(d)
      touched = .allocate(capacity: m)
      touched.initialize(repeating: false)
      selector = TopKSelector(k: k)
    }

    deinit {
      for p in [x, centered, pre, error, centeredGrad, values, encoderGrad, encoderBiasGrad, decoderGrad, decoderBiasGrad] { p.deallocate() }
      chosen.deallocate()
      touched.deallocate()
    }
  }

  /// Encodes a batch: fills x (scaled), centered = x - b_dec, pre, and the top-k (chosen, values = ReLU).
  func forward(_ rows: [Int], _ b: StepBuffers) {
    let count = rows.count
    data.storage.withUnsafeBufferPointer { src in
      for (r, row) in rows.enumerated() {
        for i in 0..<d {
          let v = src[row * d + i] * scale
          b.x[r * d + i] = v
          b.centered[r * d + i] = v - decoderBias[i]
        }
      }
    }
    for r in 0..<count { for j in 0..<m { b.pre[r * m + j] = encoderBias[j] } }
    encoder.withUnsafeBufferPointer { w in
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(m), Int32(d), 1,
                  b.centered.baseAddress!, Int32(d), w.baseAddress!, Int32(d), 1, b.pre.baseAddress!, Int32(m))
    }
    let p = b.pre
    for r in 0..<count {
      let picked = b.selector.select(UnsafeBufferPointer(rebasing: p[(r * m)..<((r + 1) * m)]))
      for (slot, j) in picked.enumerated() {
        b.chosen[r * k + slot] = Int32(j)
        b.values[r * k + slot] = max(p[r * m + j], 0)
      }
    }
  }

  /// One Adam step on `rows`; returns the summed squared reconstruction error of the batch.
  mutating func trainStep(_ rows: [Int], _ b: StepBuffers) -> Double {
    let count = rows.count, d = self.d, m = self.m, k = self.k
    forward(rows, b)
    let totalError = accumulateGradients(count: count, b)
    let lr = options.learningRate
    adam[0].update(&encoder, gradient: UnsafeBufferPointer(b.encoderGrad), learningRate: lr, step: step + 1)
    adam[1].update(&encoderBias, gradient: UnsafeBufferPointer(b.encoderBiasGrad), learningRate: lr, step: step + 1)
    adam[2].update(&decoder, gradient: UnsafeBufferPointer(b.decoderGrad), learningRate: lr, step: step + 1)
    adam[3].update(&decoderBias, gradient: UnsafeBufferPointer(b.decoderBiasGrad), learningRate: lr, step: step + 1)
    decoder.withUnsafeMutableBufferPointer { dec in
      for j in 0..<m {
        let row = dec.baseAddress! + j * d
        var norm: Float = 0
        for i in 0..<d { norm += row[i] * row[i] }
        let inv = 1 / max(norm.squareRoot(), 1e-12)
        for i in 0..<d { row[i] *= inv }
      }
    }
    // Dead-latent bookkeeping.
    for j in 0..<m { tokensSinceFired[j] += count }
    for r in 0..<count { for slot in 0..<k where b.values[r * k + slot] > 0 { tokensSinceFired[Int(b.chosen[r * k + slot])] = 0 } }
    return totalError
  }

  /// Reconstruction error and the gradients of the mean squared error for the batch in `b` (after `forward`),
  /// written into `b`'s gradient buffers; returns the summed squared error.
  func accumulateGradients(count: Int, _ b: StepBuffers) -> Double {
    let d = self.d, m = self.m, k = self.k
    var totalError = 0.0
    encoder.withUnsafeBufferPointer { enc in
      decoder.withUnsafeBufferPointer { dec in
        // Reconstruction and error e = x_hat - x.
        for r in 0..<count {
          let e = b.error.baseAddress! + r * d, x = b.x.baseAddress! + r * d
          for i in 0..<d { e[i] = decoderBias[i] - x[i] }
          for slot in 0..<k {
            let v = b.values[r * k + slot]
            if v == 0 { continue }
            let row = dec.baseAddress! + Int(b.chosen[r * k + slot]) * d
            for i in 0..<d { e[i] += v * row[i] }
          }
          var sum: Float = 0
          for i in 0..<d { sum += e[i] * e[i] }
          totalError += Double(sum)
        }
        // Loss = mean over the batch of |e|^2, so dL/dx_hat = 2 e / count.
        let g = 2 / Float(count)
        for j in 0..<m where b.touched[j] {
          for i in 0..<d { b.encoderGrad[j * d + i] = 0; b.decoderGrad[j * d + i] = 0 }
          b.touched[j] = false
        }
        for j in 0..<m { b.encoderBiasGrad[j] = 0 }
        for i in 0..<d { b.decoderBiasGrad[i] = 0 }
        for r in 0..<count {
          let e = b.error.baseAddress! + r * d, c = b.centered.baseAddress! + r * d, cg = b.centeredGrad.baseAddress! + r * d
          for i in 0..<d { b.decoderBiasGrad[i] += g * e[i]; cg[i] = 0 }
          for slot in 0..<k {
            let v = b.values[r * k + slot]
            if v <= 0 { continue }
            let j = Int(b.chosen[r * k + slot])
            b.touched[j] = true
            let decRow = dec.baseAddress! + j * d, encRow = enc.baseAddress! + j * d
            let decGrad = b.decoderGrad.baseAddress! + j * d, encGrad = b.encoderGrad.baseAddress! + j * d
            // dL/dW_dec[j] += v g e ; dL/dv = g e . W_dec[j]
            var dv: Float = 0
            let vg = v * g
            for i in 0..<d {
              decGrad[i] += vg * e[i]
              dv += e[i] * decRow[i]
            }
            dv *= g
            // Through the ReLU (v > 0) to pre: dL/dW_enc[j] += dv centered; dL/db_enc[j] += dv; dL/dcentered += dv W_enc[j].
            b.encoderBiasGrad[j] += dv
            for i in 0..<d {
              encGrad[i] += dv * c[i]
              cg[i] += dv * encRow[i]
            }
          }
          // centered = x - b_dec, so b_dec also receives -dL/dcentered.
          for i in 0..<d { b.decoderBiasGrad[i] -= cg[i] }
        }
        // Remove the radial part of decoder gradients (rows are renormalised after the step).
        for j in 0..<m where b.touched[j] {
          let decRow = dec.baseAddress! + j * d, decGrad = b.decoderGrad.baseAddress! + j * d
          var dot: Float = 0
          for i in 0..<d { dot += decGrad[i] * decRow[i] }
          for i in 0..<d { decGrad[i] -= dot * decRow[i] }
        }
      }
    }
    return totalError
  }

  /// Points dead latents at inputs the SAE reconstructs badly (drawn with probability ~ |e|^2 from the last batch):
  /// decoder row = the unit error direction, encoder row = that direction scaled to 0.2x the mean live encoder norm.
  mutating func resampleDeadLatents(_ rows: [Int], _ b: StepBuffers) -> Int {
    let deadAfter = min(options.deadAfterTokens, max(n / 2, 1))
    let dead = (0..<m).filter { tokensSinceFired[$0] >= deadAfter }
    if dead.isEmpty { return 0 }
    let count = rows.count
    var weights = [Double](repeating: 0, count: count)
    for r in 0..<count { for i in 0..<d { weights[r] += Double(b.error[r * d + i] * b.error[r * d + i]) } }
    let total = weights.reduce(0, +)
    guard total > 0 else { return 0 }
    var liveNorm: Float = 0, live = 0
    for j in 0..<m where tokensSinceFired[j] < deadAfter {
      var s: Float = 0
      for i in 0..<d { s += encoder[j * d + i] * encoder[j * d + i] }
      liveNorm += s.squareRoot(); live += 1
    }
    let encoderNorm = 0.2 * (live > 0 ? liveNorm / Float(live) : 1)
    for j in dead {
      var target = random.nextUnitDouble() * total
      var pick = 0
      while pick < count - 1 && target >= weights[pick] { target -= weights[pick]; pick += 1 }
      var norm: Float = 0
      for i in 0..<d { norm += b.error[pick * d + i] * b.error[pick * d + i] }
      let inv = 1 / max(norm.squareRoot(), 1e-12)
      // The error is x_hat - x; the missing direction is x - x_hat.
      for i in 0..<d {
        let u = -b.error[pick * d + i] * inv
        decoder[j * d + i] = u
        encoder[j * d + i] = u * encoderNorm
      }
      encoderBias[j] = 0
      adam[0].reset(range: (j * d)..<((j + 1) * d))
      adam[2].reset(range: (j * d)..<((j + 1) * d))
      adam[1].reset(range: j..<(j + 1))
      tokensSinceFired[j] = 0
    }
    return dead.count
  }

  /// The SAE for raw (unscaled) activations: W_enc' = s W_enc^T, b_dec' = b_dec / s, W_dec' = W_dec / s.
  func exportSAE() throws -> SparseAutoencoder {
    var encoderWeight = Matrix(rows: d, cols: m)
    for j in 0..<m { for i in 0..<d { encoderWeight.storage[i * m + j] = encoder[j * d + i] * scale } }
    let decoderWeight = Matrix(rows: m, cols: d, storage: decoder.map { $0 / scale })
    return try SparseAutoencoder(
      architecture: .topK(k), encoderWeight: encoderWeight, encoderBias: encoderBias, decoderWeight: decoderWeight,
      decoderBias: decoderBias.map { $0 / scale }, applyDecoderBiasToInput: true,
      metadata: ["trained_by": "vista", "seed": String(options.seed), "epochs": String(options.epochs),
                 "learning_rate": String(options.learningRate), "input_scale": String(scale)])
  }

  /// FVE, L0 and dead fraction of `sae` on all training tokens (in blocks, never a dense tokens x latents matrix).
  func evaluate(_ sae: SparseAutoencoder, progress: VistaCore.Progress) throws -> (fve: Double, l0: Double, dead: Double) {
    var mean = [Double](repeating: 0, count: d)
    for r in 0..<n { for i in 0..<d { mean[i] += Double(data.storage[r * d + i]) } }
    for i in 0..<d { mean[i] /= Double(n) }
    var residual = 0.0, total = 0.0, nonZeros = 0
    var fired = [Bool](repeating: false, count: m)
    let block = 4096
    var start = 0
    while start < n {
      try progress.checkCancelled()
      let end = min(n, start + block)
      let slice = Matrix(rows: end - start, cols: d, storage: Array(data.storage[(start * d)..<(end * d)]))
      let codes = try sae.encode(slice)
      let reconstruction = sae.decode(codes)
      for idx in 0..<(slice.rows * d) {
        let x = Double(slice.storage[idx])
        let e = x - Double(reconstruction.storage[idx])
        residual += e * e
        let c = x - mean[idx % d]
        total += c * c
      }
      nonZeros += codes.nonZeroCount
      for j in codes.columnIndices { fired[Int(j)] = true }
      start = end
      progress.update("evaluating SAE", Double(start) / Double(n))
    }
    let dead = Double(fired.filter { !$0 }.count) / Double(m)
    return (total > 0 ? 1 - residual / total : 0, Double(nonZeros) / Double(n), dead)
  }
}

/// Adam (beta1 0.9, beta2 0.999, eps 1e-8) over one flat parameter array.
struct AdamState {
  var first: [Float]
  var second: [Float]
  let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

  init(count: Int) {
    first = [Float](repeating: 0, count: count)
    second = first
  }

  mutating func update(_ parameters: inout [Float], gradient g: UnsafeBufferPointer<Float>, learningRate: Float, step: Int) {
    let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
    let stepSize = learningRate / correction1
    let b1 = beta1, b2 = beta2, eps = epsilon
    let count = parameters.count
    parameters.withUnsafeMutableBufferPointer { p in
      first.withUnsafeMutableBufferPointer { m in
        second.withUnsafeMutableBufferPointer { v in
          let invSqrtCorrection2 = 1 / correction2.squareRoot()
          for i in 0..<count {
            let gi = g[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            p[i] -= stepSize * m[i] / (v[i].squareRoot() * invSqrtCorrection2 + eps)
          }
        }
      }
    }
  }

  mutating func reset(range: Range<Int>) {
    for i in range { first[i] = 0; second[i] = 0 }
  }
}
