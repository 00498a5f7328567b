import CCairo
import VistaCore

/// An encoded PNG with its size: what every drawing returns (the kernel sends `data` as image/png).
public struct PNGImage: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var data: [UInt8]

  /// Decodes PNG bytes back into pixels (tests check drawings by their content).
  ///
  /// - Throws: `VistaError` when the bytes are not a PNG cairo can read.
  public func decoded() throws -> DecodedImage { try DecodedImage(png: data) }
}

/// Straight (non-premultiplied) 8-bit RGBA pixels of a decoded PNG.
public struct DecodedImage: Sendable {
  public var width: Int
  public var height: Int
  /// Row-major RGBA bytes.
  public var rgba: [UInt8]

  public init(png: [UInt8]) throws {
    final class Reader { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
    let reader = Reader(png)
    let box = Unmanaged.passRetained(reader)
    defer { box.release() }
    let surface = cairo_image_surface_create_from_png_stream({ closure, buffer, length in
      let r = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
      let n = Int(length)
      guard r.offset + n <= r.bytes.count, let buffer else { return CAIRO_STATUS_READ_ERROR }
      r.bytes.withUnsafeBufferPointer { src in buffer.update(from: src.baseAddress! + r.offset, count: n) }
      r.offset += n
      return CAIRO_STATUS_SUCCESS
    }, box.toOpaque())
    defer { cairo_surface_destroy(surface) }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
      throw VistaError("not a readable PNG (\(png.count) bytes)", at: "png")
    }
    let surfaceRef = surface!
    try self.init(surface: surfaceRef)
  }

  init(surface: OpaquePointer) throws {
    cairo_surface_flush(surface)
    width = Int(cairo_image_surface_get_width(surface))
    height = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    let format = cairo_image_surface_get_format(surface)
    guard let base = cairo_image_surface_get_data(surface) else { throw VistaError("image has no pixel data", at: "png") }
    var out = [UInt8](repeating: 0, count: width * height * 4)
    for y in 0..<height {
      let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
      for x in 0..<width {
        let v = row[x]
        var a = UInt32(255), r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255
        if format == CAIRO_FORMAT_ARGB32 {
          a = v >> 24
          if a > 0 && a < 255 { r = r * 255 / a; g = g * 255 / a; b = b * 255 / a }
        }
        let o = (y * width + x) * 4
        out[o] = UInt8(min(r, 255)); out[o + 1] = UInt8(min(g, 255)); out[o + 2] = UInt8(min(b, 255)); out[o + 3] = UInt8(a)
      }
    }
    rgba = out
  }

  /// The pixel at (x, y).
  public func pixel(_ x: Int, _ y: Int) -> RGBA {
    let o = (y * width + x) * 4
    return RGBA(Double(rgba[o]) / 255, Double(rgba[o + 1]) / 255, Double(rgba[o + 2]) / 255, Double(rgba[o + 3]) / 255)
  }

  /// How many pixels in a rectangle are within `tolerance` (0...1 per channel) of a colour.
  public func count(near color: RGBA, tolerance: Double, in rect: (x: Int, y: Int, w: Int, h: Int)? = nil) -> Int {
    let r = rect ?? (0, 0, width, height)
    var n = 0
    for y in max(0, r.y)..<min(height, r.y + r.h) {
      for x in max(0, r.x)..<min(width, r.x + r.w) {
        let p = pixel(x, y)
        if abs(p.r - color.r) <= tolerance && abs(p.g - color.g) <= tolerance && abs(p.b - color.b) <= tolerance { n += 1 }
      }
    }
    return n
  }

  /// The number of distinct colours (after dropping the low 3 bits): a blank image has 1.
  public var distinctColorCount: Int {
    var seen = Set<UInt32>()
    for i in stride(from: 0, to: rgba.count, by: 4) {
      seen.insert(UInt32(rgba[i] >> 3) << 10 | UInt32(rgba[i + 1] >> 3) << 5 | UInt32(rgba[i + 2] >> 3))
    }
    return seen.count
  }
}
