import Foundation
import VistaCore
import VistaData

/// Reading and writing SAEs: Gemma Scope `params.npz` and SAELens folders (`cfg.json` + `sae_weights.safetensors`).
extension SparseAutoencoder {
  /// Loads whatever `url` names: a Gemma Scope `.npz`, an SAELens folder, or the `sae_weights.safetensors` inside one.
  public static func load(_ url: URL) throws -> SparseAutoencoder {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw VistaError("no SAE here: the path does not exist", at: url.path)
    }
    if isDirectory.boolValue { return try loadSAELens(directory: url) }
    switch url.pathExtension.lowercased() {
    case "npz": return try loadGemmaScope(url)
    case "safetensors": return try loadSAELens(directory: url.deletingLastPathComponent())
    default:
      throw VistaError("unrecognised SAE file: expected a Gemma Scope params.npz or an SAELens folder (cfg.json + sae_weights.safetensors)", at: url.path)
    }
  }

  /// Gemma Scope `params.npz`: W_enc (d_in x d_sae), W_dec, b_enc, b_dec, threshold (also `w_enc`/`w_dec`, as in Gemma Scope 2).
  /// JumpReLU without subtracting b_dec from the input.
  public static func loadGemmaScope(_ url: URL) throws -> SparseAutoencoder {
    let names = Set(try NPZ.arrayNames(url))
    func array(_ name: String) throws -> Tensor {
      if names.contains(name) { return try NPZ.read(url, array: name) }
      let lower = name.replacingOccurrences(of: "W_", with: "w_")
      if names.contains(lower) { return try NPZ.read(url, array: lower) }
      return try NPZ.read(url, array: name)  // throws "no array ..., did you mean ..."
    }
    let encoder = try array("W_enc").matrix()
    let dIn = encoder.rows, dSAE = encoder.cols
    return try SparseAutoencoder(
      architecture: .jumpReLU, encoderWeight: encoder, encoderBias: try array("b_enc").vector(expectedCount: dSAE),
      decoderWeight: try array("W_dec").matrix(expectedColumns: dIn), decoderBias: try array("b_dec").vector(expectedCount: dIn),
      threshold: try array("threshold").vector(expectedCount: dSAE), applyDecoderBiasToInput: false,
      metadata: ["source": url.path, "format": "gemma-scope"])
  }

  /// An SAELens folder: `cfg.json` (architecture standard | jumprelu | topk, d_in, d_sae, apply_b_dec_to_input,
  /// k in `activation_fn_kwargs` or at top level) and `sae_weights.safetensors`.
  public static func loadSAELens(directory: URL) throws -> SparseAutoencoder {
    let cfgURL = directory.appendingPathComponent("cfg.json")
    let weightsURL = directory.appendingPathComponent("sae_weights.safetensors")
    for url in [cfgURL, weightsURL] where !FileManager.default.fileExists(atPath: url.path) {
      throw VistaError("\(url.lastPathComponent) is missing: an SAELens folder holds cfg.json and sae_weights.safetensors", at: directory.path)
    }
    guard let data = FileManager.default.contents(atPath: cfgURL.path),
      let cfg = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw VistaError("cfg.json is not a JSON object", at: cfgURL.path) }
    let file = try Safetensors.read(weightsURL)
    let encoder = try file.tensor("W_enc").matrix()
    let dIn = encoder.rows, dSAE = encoder.cols
    if let declared = (cfg["d_in"] as? NSNumber)?.intValue, declared != dIn {
      throw VistaError("shape mismatch: cfg.json says d_in \(declared), W_enc has \(dIn) rows", at: cfgURL.path)
    }
    if let declared = (cfg["d_sae"] as? NSNumber)?.intValue, declared != dSAE {
      throw VistaError("shape mismatch: cfg.json says d_sae \(declared), W_enc has \(dSAE) columns", at: cfgURL.path)
    }
    let activation = (cfg["activation_fn"] as? String) ?? (cfg["activation_fn_str"] as? String)
    let declaredArchitecture = (cfg["architecture"] as? String) ?? (activation == "topk" ? "topk" : "standard")
    let architecture: SAEArchitecture
    switch declaredArchitecture {
    case "standard", "relu":
      architecture = .relu
    case "jumprelu", "jump_relu":
      architecture = .jumpReLU
    case "topk", "batchtopk":
      let kwargs = cfg["activation_fn_kwargs"] as? [String: Any]
      guard let k = (cfg["k"] as? NSNumber)?.intValue ?? (kwargs?["k"] as? NSNumber)?.intValue else {
        throw VistaError("a topk SAE needs k (cfg \"k\" or activation_fn_kwargs.k)", at: cfgURL.path)
      }
      architecture = .topK(k)
    default:
      throw VistaError("architecture \"\(declaredArchitecture)\" is not supported (standard, jumprelu, topk)", at: cfgURL.path)
    }
    if let normalize = cfg["normalize_activations"] as? String, normalize != "none" {
      throw VistaError("normalize_activations \"\(normalize)\" needs the original data's scale; re-export the SAE with it folded in", at: cfgURL.path)
    }
    for name in ["scaling_factor", "finetuning_scaling_factor"] where file.contains(name) {
      let factors = try file.tensor(name).floats()
      if factors.contains(where: { $0 != 1 }) {
        throw VistaError("\(name) other than 1 is not supported; fold it into W_dec first", at: "\(weightsURL.lastPathComponent):\(name)")
      }
    }
    var metadata = ["source": directory.path, "format": "saelens"]
    for key in ["model_name", "hook_name", "hook_layer", "dataset_path"] { if let v = cfg[key] { metadata[key] = "\(v)" } }
    for (k, v) in (cfg["vista"] as? [String: Any]) ?? [:] { metadata[k] = "\(v)" }
    let isJump = architecture == .jumpReLU
    return try SparseAutoencoder(
      architecture: architecture, encoderWeight: encoder, encoderBias: try file.tensor("b_enc").vector(expectedCount: dSAE),
      decoderWeight: try file.tensor("W_dec").matrix(expectedColumns: dIn), decoderBias: try file.tensor("b_dec").vector(expectedCount: dIn),
      threshold: isJump ? try file.tensor("threshold").vector(expectedCount: dSAE) : nil,
      applyDecoderBiasToInput: (cfg["apply_b_dec_to_input"] as? Bool) ?? false, metadata: metadata)
  }

  /// Writes an SAELens folder that `loadSAELens` and SAELens itself read back: cfg.json + sae_weights.safetensors.
  public func saveSAELens(directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var cfg: [String: Any] = [
      "d_in": inputDimension, "d_sae": latentCount, "dtype": "float32", "device": "cpu",
      "apply_b_dec_to_input": applyDecoderBiasToInput, "normalize_activations": "none",
      "model_name": metadata["model_name"] ?? "", "hook_name": metadata["hook_name"] ?? "",
      "hook_head_index": NSNull(), "prepend_bos": false, "context_size": 256,
      "dataset_path": metadata["dataset_path"] ?? "", "finetuning_scaling_factor": false,
    ]
    var tensors = [
      Tensor(name: "W_enc", matrix: encoderWeight), Tensor(name: "b_enc", shape: [latentCount], floats: encoderBias),
      Tensor(name: "W_dec", matrix: decoderWeight), Tensor(name: "b_dec", shape: [inputDimension], floats: decoderBias),
    ]
    switch architecture {
    case .relu:
      cfg["architecture"] = "standard"; cfg["activation_fn"] = "relu"; cfg["activation_fn_kwargs"] = [String: Any]()
    case .jumpReLU:
      cfg["architecture"] = "jumprelu"; cfg["activation_fn"] = "relu"; cfg["activation_fn_kwargs"] = [String: Any]()
      tensors.append(Tensor(name: "threshold", shape: [latentCount], floats: threshold!))
    case .topK(let k):
      cfg["architecture"] = "topk"; cfg["activation_fn"] = "topk"; cfg["activation_fn_kwargs"] = ["k": k]; cfg["k"] = k
    }
    var extra: [String: String] = [:]
    for (k, v) in metadata where !["model_name", "hook_name", "dataset_path", "source", "format"].contains(k) { extra[k] = v }
    if !extra.isEmpty { cfg["vista"] = extra }
    let json = try JSONSerialization.data(withJSONObject: cfg, options: [.sortedKeys, .prettyPrinted])
    try Safetensors.write(tensors, metadata: ["format": "pt"], to: directory.appendingPathComponent("sae_weights.safetensors"))
    try json.write(to: directory.appendingPathComponent("cfg.json"), options: .atomic)
  }
}
