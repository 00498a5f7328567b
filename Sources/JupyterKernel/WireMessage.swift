/// The delimiter between routing identities and the signed part of a message.
let wireDelimiter: [UInt8] = Array("<IDS|MSG>".utf8)

/// The protocol version stamped on every header and reported in kernel_info.
public let jupyterProtocolVersion = "5.5"

/// A message received from a frontend whose signature was verified before any JSON was parsed.
public struct ReceivedMessage {
  /// Routing identities, kept as raw bytes.
  public var identities: [[UInt8]]
  /// The header exactly as received; reused verbatim as the parent header of the replies.
  public var headerBytes: [UInt8]
  public var header: JSONValue
  /// The parent header as received (parsed only on demand).
  public var parentHeaderBytes: [UInt8]
  public var msgType: String
  public var msgID: String
  public var content: JSONValue
  public var metadata: JSONValue
  public var buffers: [[UInt8]]
}

extension ReceivedMessage {
  public var parentHeader: JSONValue { (try? JSONValue.parse(parentHeaderBytes)) ?? [:] }
  public var parentMsgID: String? { parentHeader["msg_id"]?.stringValue }
}

/// Why a received message was dropped.
public enum WireRejection: Error, Equatable, CustomStringConvertible {
  case missingDelimiter
  case truncated(frames: Int)
  case badSignature
  case invalidJSON(frame: String, detail: String)
  case invalidHeader(String)

  public var description: String {
    switch self {
    case .missingDelimiter: return "no <IDS|MSG> delimiter"
    case .truncated(let n): return "truncated message (\(n) frames after the delimiter, need 5)"
    case .badSignature: return "invalid or missing signature"
    case .invalidJSON(let frame, let detail): return "invalid JSON in \(frame): \(detail)"
    case .invalidHeader(let why): return "invalid header: \(why)"
    }
  }
}

/// Encodes and decodes the Jupyter wire format for one thread (it owns a signer and an id generator).
public final class WireCodec {
  public let signer: MessageSigner
  public let session: String
  public let username: String
  private var ids = MessageIDGenerator()
  private let headerPrefix: [UInt8]

  public init(signer: MessageSigner, session: String, username: String) {
    self.signer = signer
    self.session = session
    self.username = username
    var prefix: [UInt8] = Array("{\"session\":".utf8)
    JSONWriter.appendString(session, to: &prefix)
    prefix.append(contentsOf: Array(",\"username\":".utf8))
    JSONWriter.appendString(username, to: &prefix)
    prefix.append(contentsOf: Array(",\"version\":\"\(jupyterProtocolVersion)\",\"msg_id\":\"".utf8))
    headerPrefix = prefix
  }

  /// Splits, verifies (constant time, over the received bytes) and only then parses a message.
  public func decode(_ frames: [[UInt8]]) -> Result<ReceivedMessage, WireRejection> {
    guard let delimiter = frames.firstIndex(of: wireDelimiter) else { return .failure(.missingDelimiter) }
    let rest = frames.count - delimiter - 1
    guard rest >= 5 else { return .failure(.truncated(frames: rest)) }
    let signature = frames[delimiter + 1]
    let signed = Array(frames[(delimiter + 2)...(delimiter + 5)])
    if signer.isEnabled {
      guard !signature.isEmpty, signer.verify(signature: signature, frames: signed) else { return .failure(.badSignature) }
    }
    let header: JSONValue
    let content: JSONValue
    let metadata: JSONValue
    do { header = try JSONValue.parse(signed[0]) } catch { return .failure(.invalidJSON(frame: "header", detail: "\(error)")) }
    do { content = try JSONValue.parse(signed[3]) } catch { return .failure(.invalidJSON(frame: "content", detail: "\(error)")) }
    do { metadata = try JSONValue.parse(signed[2]) } catch { return .failure(.invalidJSON(frame: "metadata", detail: "\(error)")) }
    guard case .object = header else { return .failure(.invalidHeader("not an object")) }
    guard let msgType = header["msg_type"]?.stringValue else { return .failure(.invalidHeader("no msg_type")) }
    guard let msgID = header["msg_id"]?.stringValue else { return .failure(.invalidHeader("no msg_id")) }
    guard case .object = content else { return .failure(.invalidJSON(frame: "content", detail: "not an object")) }
    return .success(ReceivedMessage(
      identities: Array(frames[..<delimiter]), headerBytes: signed[0], header: header, parentHeaderBytes: signed[1],
      msgType: msgType,
      msgID: msgID, content: content, metadata: metadata,
      buffers: Array(frames[(delimiter + 6)...])))
  }

  /// A fresh header for `msgType`: new msg_id, current date, this session, version 5.5.
  public func header(msgType: String) -> [UInt8] {
    var out = headerPrefix
    out.reserveCapacity(out.count + 120)
    out.append(contentsOf: ids.next().utf8)
    out.append(contentsOf: Array("\",\"date\":\"".utf8))
    out.append(contentsOf: MessageClock.now().utf8)
    out.append(contentsOf: Array("\",\"msg_type\":".utf8))
    JSONWriter.appendString(msgType, to: &out)
    out.append(UInt8(ascii: "}"))
    return out
  }

  static let emptyObject: [UInt8] = Array("{}".utf8)

  /// The frames of a new message: identities (or an IOPub topic), delimiter, signature, four JSON frames.
  /// `parentHeader` is the raw header of the request being answered (empty object for none).
  public func encode(msgType: String, content: JSONValue, parentHeader: [UInt8]?, identities: [[UInt8]],
                     metadata: JSONValue? = nil, buffers: [[UInt8]] = []) -> [[UInt8]] {
    encode(msgType: msgType, contentBytes: content.encoded(), parentHeader: parentHeader, identities: identities,
           metadata: metadata, buffers: buffers)
  }

  public func encode(msgType: String, contentBytes: [UInt8], parentHeader: [UInt8]?, identities: [[UInt8]],
                     metadata: JSONValue? = nil, buffers: [[UInt8]] = []) -> [[UInt8]] {
    let signed = [header(msgType: msgType), parentHeader ?? WireCodec.emptyObject,
                  metadata?.encoded() ?? WireCodec.emptyObject, contentBytes]
    var frames = identities
    frames.reserveCapacity(identities.count + 6 + buffers.count)
    frames.append(wireDelimiter)
    frames.append(signer.sign(signed))
    frames.append(contentsOf: signed)
    frames.append(contentsOf: buffers)
    return frames
  }
}

/// The IOPub topic of a message, as ipykernel names them ("kernel.<session>.status"); clients subscribe to all.
func iopubTopic(_ msgType: String, session: String) -> [UInt8] {
  Array("kernel.\(session).\(msgType)".utf8)
}
