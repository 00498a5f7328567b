import COpenSSL

/// HMAC signing and verification of message frames, as the connection file's `key` and
/// `signature_scheme` ask. Not thread-safe: each thread that sends or receives owns its own signer
/// (a shared context corrupted signatures in other kernels).
public final class MessageSigner {
  public let key: [UInt8]
  public let scheme: String
  private let digestName: String
  private let mac: OpaquePointer?
  private let ctx: OpaquePointer?
  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// `scheme` is "hmac-sha256" (also "hmac-sha512", "hmac-md5"); an empty key turns signing off.
  public init(key: [UInt8], scheme: String = "hmac-sha256") throws {
    self.key = key
    self.scheme = scheme
    switch scheme.lowercased() {
    case "hmac-sha256": digestName = "SHA256"
    case "hmac-sha512": digestName = "SHA512"
    case "hmac-md5": digestName = "MD5"
    default: throw KernelError("unsupported signature_scheme \"\(scheme)\" (use hmac-sha256)", at: "connection file")
    }
    mac = EVP_MAC_fetch(nil, "HMAC", nil)
    ctx = EVP_MAC_CTX_new(mac)
    guard mac != nil, ctx != nil else { throw KernelError("OpenSSL has no HMAC", at: "libcrypto") }
    // Choose the digest once; each message then only re-keys the context.
    let ok = digestName.withCString { name in
      "digest".withCString { field in
        var params = [
          OSSL_PARAM_construct_utf8_string(field, UnsafeMutablePointer(mutating: name), 0),
          OSSL_PARAM_construct_end(),
        ]
        return EVP_MAC_CTX_set_params(ctx, &params)
      }
    }
    guard ok == 1 else { throw KernelError("OpenSSL cannot use \(digestName) for HMAC", at: "libcrypto") }
  }

  deinit {
    EVP_MAC_CTX_free(ctx)
    EVP_MAC_free(mac)
  }

  public var isEnabled: Bool { !key.isEmpty }

  /// The raw HMAC of the concatenated frames.
  public func digestBytes(_ frames: [UnsafeRawBufferPointer]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length = 0
    key.withUnsafeBufferPointer { k in _ = EVP_MAC_init(ctx, k.baseAddress, k.count, nil) }
    for frame in frames where frame.count > 0 {
      _ = EVP_MAC_update(ctx, frame.baseAddress!.assumingMemoryBound(to: UInt8.self), frame.count)
    }
    out.withUnsafeMutableBufferPointer { o in _ = EVP_MAC_final(ctx, o.baseAddress, &length, o.count) }
    out.removeLast(out.count - length)
    return out
  }

  /// The lowercase hex signature of header, parent header, metadata and content (empty without a key).
  public func sign(_ frames: [[UInt8]]) -> [UInt8] {
    guard isEnabled else { return [] }
    let raw = withRawBuffers(frames) { digestBytes($0) }
    var out = [UInt8](repeating: 0, count: raw.count * 2)
    for (i, b) in raw.enumerated() {
      out[2 * i] = MessageSigner.hex[Int(b >> 4)]
      out[2 * i + 1] = MessageSigner.hex[Int(b & 15)]
    }
    return out
  }

  /// Checks `signature` (hex) against the frames' HMAC in constant time. Always true without a key.
  public func verify(signature: [UInt8], frames: [[UInt8]]) -> Bool {
    guard isEnabled else { return true }
    guard let given = MessageSigner.decodeHex(signature) else { return false }
    let expected = withRawBuffers(frames) { digestBytes($0) }
    guard given.count == expected.count else { return false }
    return given.withUnsafeBytes { g in
      expected.withUnsafeBytes { e in CRYPTO_memcmp(g.baseAddress, e.baseAddress, e.count) == 0 }
    }
  }

  static func decodeHex(_ text: [UInt8]) -> [UInt8]? {
    guard text.count % 2 == 0 else { return nil }
    var out = [UInt8](repeating: 0, count: text.count / 2)
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: return c - 48
      case 97...102: return c - 87
      case 65...70: return c - 55
      default: return nil
      }
    }
    for i in 0..<out.count {
      guard let hi = nibble(text[2 * i]), let lo = nibble(text[2 * i + 1]) else { return nil }
      out[i] = hi << 4 | lo
    }
    return out
  }
}

/// Calls `body` with raw views of all `arrays` at once.
func withRawBuffers<R>(_ arrays: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
  var views: [UnsafeRawBufferPointer] = []
  views.reserveCapacity(arrays.count)
  func recurse(_ i: Int) -> R {
    if i == arrays.count { return body(views) }
    return arrays[i].withUnsafeBytes { raw in
      views.append(raw)
      return recurse(i + 1)
    }
  }
  return recurse(0)
}
