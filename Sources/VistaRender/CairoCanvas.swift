import CCairo
import VistaCore
import VistaMap

/// An image surface with its drawing context: the one place VistaRender touches cairo's C API.
///
/// Text uses cairo's toy API with DejaVu Sans (fonts-dejavu-core), the font whose widths
/// `TextMetrics` tabulates, so label placement and drawing agree. Not thread-safe: one canvas per task.
public final class CairoCanvas {
  public let width: Int
  public let height: Int
  let surface: OpaquePointer
  let cr: OpaquePointer

  /// A transparent or filled ARGB canvas.
  /// - Throws: `VistaError` when cairo cannot allocate the surface.
  public init(width: Int, height: Int, background: RGBA? = nil) throws {
    guard width > 0, height > 0, width <= 32767, height <= 32767 else {
      throw VistaError("image size \(width)x\(height) is outside 1...32767", at: "image size")
    }
    guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
      cairo_surface_status(s) == CAIRO_STATUS_SUCCESS
    else { throw VistaError("cairo could not allocate a \(width)x\(height) surface", at: "image size") }
    surface = s
    cr = cairo_create(s)
    self.width = width
    self.height = height
    let options = cairo_font_options_create()
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_set_font_options(cr, options)
    cairo_font_options_destroy(options)
    if let background { fillRect(0, 0, Double(width), Double(height), background) }
  }

  deinit {
    cairo_destroy(cr)
    cairo_surface_destroy(surface)
  }

  /// Encodes the canvas as PNG.
  public func png() throws -> PNGImage {
    final class Sink { var bytes: [UInt8] = [] }
    let sink = Sink()
    let box = Unmanaged.passRetained(sink)
    defer { box.release() }
    cairo_surface_flush(surface)
    let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
      let s = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
      if let data { s.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length))) }
      return CAIRO_STATUS_SUCCESS
    }, box.toOpaque())
    guard status == CAIRO_STATUS_SUCCESS else { throw VistaError("PNG encoding failed (cairo status \(status.rawValue))", at: "png") }
    return PNGImage(width: width, height: height, data: sink.bytes)
  }

  /// The pixels as they are now (for tests and compositing).
  public func decoded() throws -> DecodedImage { try DecodedImage(surface: surface) }

  // MARK: - State

  public func save() { cairo_save(cr) }
  public func restore() { cairo_restore(cr) }
  public func translate(_ x: Double, _ y: Double) { cairo_translate(cr, x, y) }
  public func scale(_ x: Double, _ y: Double) { cairo_scale(cr, x, y) }
  public func rotate(_ radians: Double) { cairo_rotate(cr, radians) }

  /// Restricts drawing to a rectangle until `restore()`.
  public func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
    cairo_rectangle(cr, x, y, w, h)
    cairo_clip(cr)
  }

  func setColor(_ c: RGBA) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }

  // MARK: - Shapes

  public func fillRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: RGBA) {
    setColor(color)
    cairo_rectangle(cr, x, y, w, h)
    cairo_fill(cr)
  }

  public func strokeRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: RGBA, width: Double) {
    setColor(color)
    cairo_set_line_width(cr, width)
    cairo_rectangle(cr, x, y, w, h)
    cairo_stroke(cr)
  }

  public func roundedRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, radius: Double) {
    let r = min(radius, w / 2, h / 2)
    cairo_new_sub_path(cr)
    cairo_arc(cr, x + w - r, y + r, r, -Double.pi / 2, 0)
    cairo_arc(cr, x + w - r, y + h - r, r, 0, Double.pi / 2)
    cairo_arc(cr, x + r, y + h - r, r, Double.pi / 2, Double.pi)
    cairo_arc(cr, x + r, y + r, r, Double.pi, 3 * Double.pi / 2)
    cairo_close_path(cr)
  }

  public func fill(_ color: RGBA, evenOdd: Bool = false) {
    setColor(color)
    cairo_set_fill_rule(cr, evenOdd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING)
    cairo_fill(cr)
  }

  public func fillPreserve(_ color: RGBA) {
    setColor(color)
    cairo_fill_preserve(cr)
  }

  public func stroke(_ color: RGBA, width: Double, dash: [Double] = []) {
    setColor(color)
    cairo_set_line_width(cr, width)
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32(dash.count), 0) }
    cairo_stroke(cr)
    cairo_set_dash(cr, nil, 0, 0)
  }

  public func moveTo(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
  public func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
  public func curveTo(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ x3: Double, _ y3: Double) {
    cairo_curve_to(cr, x1, y1, x2, y2, x3, y3)
  }
  public func closePath() { cairo_close_path(cr) }
  public func newPath() { cairo_new_path(cr) }

  /// Adds a closed polygon to the current path.
  public func polygon(_ points: [SIMD2<Double>]) {
    guard let first = points.first else { return }
    cairo_move_to(cr, first.x, first.y)
    for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
    cairo_close_path(cr)
  }

  public func circle(_ x: Double, _ y: Double, _ r: Double) {
    cairo_new_sub_path(cr)
    cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
  }

  /// Fills many same-coloured discs in one path (much faster than one fill per disc).
  public func discs(_ centres: [SIMD2<Double>], radius: Double, color: RGBA) {
    for c in centres { circle(c.x, c.y, radius) }
    fill(color)
  }

  // MARK: - Text

  /// Sets DejaVu Sans at `size` pixels.
  public func font(size: Double, bold: Bool = false) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, size)
  }

  /// The advance width of `text` in the current font.
  public func textWidth(_ text: String) -> Double {
    var e = cairo_text_extents_t()
    cairo_text_extents(cr, text, &e)
    return e.x_advance
  }

  public enum Align { case left, center, right }

  /// Draws one line with its baseline at y, optionally with a halo (an outline in `halo` colour
  /// under the fill) so it reads over points and regions.
  public func text(
    _ text: String, x: Double, y: Double, color: RGBA, align: Align = .left, halo: RGBA? = nil, haloWidth: Double = 3
  ) {
    let w = align == .left ? 0 : textWidth(text)
    let x0 = align == .left ? x : (align == .center ? x - w / 2 : x - w)
    if let halo {
      cairo_move_to(cr, x0, y)
      cairo_text_path(cr, text)
      setColor(halo)
      cairo_set_line_width(cr, haloWidth)
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
      cairo_stroke(cr)
    }
    setColor(color)
    cairo_move_to(cr, x0, y)
    cairo_show_text(cr, text)
  }

  /// Draws centred lines (a placed label's block) with a halo.
  public func textBlock(_ lines: [String], center: SIMD2<Double>, size: Double, bold: Bool, color: RGBA, halo: RGBA?, haloWidth: Double) {
    font(size: size, bold: bold)
    let lineHeight = size * Double(TextMetrics.lineHeight)
    let top = center.y - lineHeight * Double(lines.count) / 2
    for (k, line) in lines.enumerated() {
      text(line, x: center.x, y: top + lineHeight * Double(k) + size * 0.93, color: color, align: .center, halo: halo, haloWidth: haloWidth)
    }
  }
}
