/// Iso-density contours of a `DensityField` by marching squares.
///
/// The field is padded with a zero border, so every contour is a closed ring: filling a level's rings
/// with the even-odd rule gives exactly the area where density >= level, holes included. Saddle cells
/// are resolved by the cell's mean value.
public enum ContourTracer {
  /// One closed ring in canvas units.
  public typealias Ring = [SIMD2<Float>]

  /// The rings of `field` at `level`.
  ///
  /// - Complexity: O(width * height).
  public static func rings(of field: DensityField, level: Float) -> [Ring] {
    let w = field.width + 2, h = field.height + 2
    var v = [Float](repeating: 0, count: w * h)
    for y in 0..<field.height {
      for x in 0..<field.width { v[(y + 1) * w + x + 1] = field.values[y * field.width + x] }
    }
    // Crossing points live on cell edges: key 2*(y*w+x) for the horizontal edge (x,y)-(x+1,y),
    // key 2*(y*w+x)+1 for the vertical edge (x,y)-(x,y+1). Each segment joins two keys.
    var segments: [(Int, Int)] = []
    func hKey(_ x: Int, _ y: Int) -> Int { 2 * (y * w + x) }
    func vKey(_ x: Int, _ y: Int) -> Int { 2 * (y * w + x) + 1 }
    for y in 0..<(h - 1) {
      for x in 0..<(w - 1) {
        let a = v[y * w + x], b = v[y * w + x + 1], c = v[(y + 1) * w + x + 1], d = v[(y + 1) * w + x]
        let code = (a >= level ? 8 : 0) | (b >= level ? 4 : 0) | (c >= level ? 2 : 0) | (d >= level ? 1 : 0)
        if code == 0 || code == 15 { continue }
        let top = hKey(x, y), right = vKey(x + 1, y), bottom = hKey(x, y + 1), left = vKey(x, y)
        switch code {
        case 1, 14: segments.append((left, bottom))
        case 2, 13: segments.append((bottom, right))
        case 3, 12: segments.append((left, right))
        case 4, 11: segments.append((top, right))
        case 6, 9: segments.append((top, bottom))
        case 7, 8: segments.append((left, top))
        case 5, 10:
          let centreHigh = (a + b + c + d) / 4 >= level
          // 5: b and d high; 10: a and c high.
          if (code == 5) == centreHigh {
            segments.append((left, top)); segments.append((bottom, right))
          } else {
            segments.append((left, bottom)); segments.append((top, right))
          }
        default: break
        }
      }
    }
    func point(_ key: Int) -> SIMD2<Float> {
      let cell = key / 2, x = cell % w, y = cell / w
      let (x1, y1) = key % 2 == 0 ? (x + 1, y) : (x, y + 1)
      let va = v[y * w + x], vb = v[y1 * w + x1]
      let t = va == vb ? 0.5 : min(1, max(0, (level - va) / (vb - va)))
      let gx = Float(x) + t * Float(x1 - x) - 1, gy = Float(y) + t * Float(y1 - y) - 1
      return SIMD2((gx + 0.5) / Float(field.width), (gy + 0.5) / Float(field.height))
    }
    var byKey: [Int: [Int]] = [:]
    for (s, seg) in segments.enumerated() { byKey[seg.0, default: []].append(s); byKey[seg.1, default: []].append(s) }
    var used = [Bool](repeating: false, count: segments.count)
    var rings: [Ring] = []
    for start in segments.indices where !used[start] {
      used[start] = true
      var keys = [segments[start].0]
      var current = segments[start].1
      while current != keys[0] {
        keys.append(current)
        guard let next = byKey[current]?.first(where: { !used[$0] }) else { break }
        used[next] = true
        current = segments[next].0 == current ? segments[next].1 : segments[next].0
      }
      if keys.count >= 3 { rings.append(keys.map(point)) }
    }
    return rings
  }

  /// Shoelace area of a ring (absolute, canvas units).
  public static func area(_ ring: Ring) -> Float {
    var s: Float = 0
    for i in ring.indices {
      let p = ring[i], q = ring[(i + 1) % ring.count]
      s += p.x * q.y - q.x * p.y
    }
    return abs(s) / 2
  }
}
