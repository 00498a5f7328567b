import Foundation

/// SHA-256 (FIPS 180-4), for content addresses and integrity checks of cached artefacts.
///
/// Written here so that modules which do not link OpenSSL (VistaData, VistaKernel's session) can hash
/// parameters and payloads. Incremental: feed bytes with `update`, read the digest with `finalize`.
public struct SHA256: Sendable {
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  // The eight working hash words, kept as stored properties (not an array) so the compression loop stays in registers.
  private var h0: UInt32 = 0x6a09_e667, h1: UInt32 = 0xbb67_ae85, h2: UInt32 = 0x3c6e_f372, h3: UInt32 = 0xa54f_f53a
  private var h4: UInt32 = 0x510e_527f, h5: UInt32 = 0x9b05_688c, h6: UInt32 = 0x1f83_d9ab, h7: UInt32 = 0x5be0_cd19
  /// Bytes not yet forming a whole 64-byte block.
  private var pending: [UInt8] = []
  private var totalBytes: UInt64 = 0

  public init() { pending.reserveCapacity(64) }

  /// Adds bytes to the message.
  public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    for byte in bytes {
      totalBytes &+= 1
      pending.append(byte)
      if pending.count == 64 {
        compress(pending)
        pending.removeAll(keepingCapacity: true)
      }
    }
  }

  /// Adds the bytes of `data`, compressing whole blocks straight from its buffer.
  public mutating func update(_ data: Data) {
    data.withUnsafeBytes { raw in update(raw.bindMemory(to: UInt8.self)) }
  }

  /// Adds the bytes of a buffer, compressing whole blocks without copying them one by one.
  public mutating func update(_ buffer: UnsafeBufferPointer<UInt8>) {
    totalBytes &+= UInt64(buffer.count)
    var index = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, buffer.count)
      pending.append(contentsOf: buffer[0..<take])
      index = take
      if pending.count == 64 {
        compress(pending)
        pending.removeAll(keepingCapacity: true)
      }
    }
    let wholeBlocks = (buffer.count - index) / 64
    if wholeBlocks > 0 {
      compressBlocks(buffer.baseAddress.unsafelyUnwrapped + index, count: wholeBlocks)
      index += wholeBlocks * 64
    }
    if index < buffer.count { pending.append(contentsOf: buffer[index...]) }
  }

  /// Adds the UTF-8 bytes of a string.
  public mutating func update(_ string: String) {
    var copy = string
    copy.withUTF8 { update($0) }
  }

  /// The 32-byte digest of everything added so far.
  public func finalize() -> [UInt8] {
    var copy = self
    let bitLength = copy.totalBytes &* 8
    var tail = copy.pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    for start in stride(from: 0, to: tail.count, by: 64) { copy.compress(Array(tail[start..<(start + 64)])) }
    var digest: [UInt8] = []
    digest.reserveCapacity(32)
    for word in [copy.h0, copy.h1, copy.h2, copy.h3, copy.h4, copy.h5, copy.h6, copy.h7] {
      digest.append(UInt8(truncatingIfNeeded: word >> 24))
      digest.append(UInt8(truncatingIfNeeded: word >> 16))
      digest.append(UInt8(truncatingIfNeeded: word >> 8))
      digest.append(UInt8(truncatingIfNeeded: word))
    }
    return digest
  }

  /// The digest as 64 lowercase hexadecimal characters.
  public func hexDigest() -> String {
    let hex: [Character] = Array("0123456789abcdef")
    var out = ""
    out.reserveCapacity(64)
    for byte in finalize() {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0xf)])
    }
    return out
  }

  /// The hex digest of `data`.
  public static func hex(_ data: Data) -> String {
    var hasher = SHA256()
    hasher.update(data)
    return hasher.hexDigest()
  }

  /// The hex digest of a string's UTF-8 bytes.
  public static func hex(_ string: String) -> String {
    var hasher = SHA256()
    hasher.update(string)
    return hasher.hexDigest()
  }

  /// The raw digest of `data`.
  public static func digest(_ data: Data) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(data)
    return hasher.finalize()
  }

  private mutating func compress(_ block: [UInt8]) {
    block.withUnsafeBufferPointer { compressBlocks($0.baseAddress.unsafelyUnwrapped, count: 1) }
  }

  /// The compression function over `count` consecutive 64-byte blocks, with one schedule buffer for all.
  private mutating func compressBlocks(_ start: UnsafePointer<UInt8>, count: Int) {
    SHA256.roundConstants.withUnsafeBufferPointer { constants in
      let k = constants.baseAddress.unsafelyUnwrapped
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
        let w = schedule.baseAddress.unsafelyUnwrapped
        for blockIndex in 0..<count {
          let p = start + 64 * blockIndex
          for t in 0..<16 {
            w[t] = UInt32(p[4 * t]) << 24 | UInt32(p[4 * t + 1]) << 16 | UInt32(p[4 * t + 2]) << 8 | UInt32(p[4 * t + 3])
          }
          for t in 16..<64 {
            let x = w[t - 15], y = w[t - 2]
            let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
            let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
          }
          var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
          for t in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ k[t] &+ w[t]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            h = g; g = f; f = e; e = d &+ t1
            d = c; c = b; b = a; a = t1 &+ s0 &+ majority
          }
          h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
          h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
        }
      }
    }
  }

  @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
}
