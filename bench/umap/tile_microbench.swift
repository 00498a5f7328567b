// Inner products of 784-wide rows in 4 × 4 tiles (NN-descent's `DotTile`), from float rows and from
// bfloat16 rows widened by a shift, side by side in one process: does halving the bytes pay for the
// widening? 70,000 rows, 32 candidates a point drawn within ±SPREAD points of it (small: the rows
// mostly in cache; large: mostly from memory).
//
//   swiftc -Ounchecked -target-cpu native bench/umap/tile_microbench.swift -o /tmp/tile-bench
//   /tmp/tile-bench 1000; /tmp/tile-bench 20000
import Glibc

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count <= 1, let spread = arguments.first.map({ Int($0) }) ?? 1000, spread >= 1 else {
  fputs("usage: tile-bench [SPREAD] (a whole number ≥ 1 of points either side; default 1000), got \(Array(arguments))\n", stderr)
  exit(2)
}

@inline(__always) func now() -> Double { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }

typealias L = SIMD8<Float>
@inline(__always) func ld(_ p: UnsafePointer<Float>, _ c: Int) -> L { UnsafeRawPointer(p + c).loadUnaligned(as: L.self) }
@inline(__always) func ldh(_ p: UnsafePointer<UInt16>, _ c: Int) -> L {
  let h = UnsafeRawPointer(p + c).loadUnaligned(as: SIMD8<UInt16>.self)
  let w = SIMD8<UInt32>(truncatingIfNeeded: h) &<< 16
  return unsafeBitCast(w, to: L.self)
}

@inline(never) func tile32(_ rows: UnsafePointer<Float>, _ cols: Int, _ p: UnsafePointer<Int32>, _ q: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Float>) {
  let x0 = rows + Int(p[0]) * cols, x1 = rows + Int(p[1]) * cols, x2 = rows + Int(p[2]) * cols, x3 = rows + Int(p[3]) * cols
  let y0 = rows + Int(q[0]) * cols, y1 = rows + Int(q[1]) * cols, y2 = rows + Int(q[2]) * cols, y3 = rows + Int(q[3]) * cols
  var a00 = L(), a01 = L(), a02 = L(), a03 = L(), a10 = L(), a11 = L(), a12 = L(), a13 = L()
  var a20 = L(), a21 = L(), a22 = L(), a23 = L(), a30 = L(), a31 = L(), a32 = L(), a33 = L()
  var c = 0
  while c < cols {
    let u0 = ld(x0, c), u1 = ld(x1, c), u2 = ld(x2, c), u3 = ld(x3, c)
    var v = ld(y0, c); a00.addProduct(u0, v); a10.addProduct(u1, v); a20.addProduct(u2, v); a30.addProduct(u3, v)
    v = ld(y1, c); a01.addProduct(u0, v); a11.addProduct(u1, v); a21.addProduct(u2, v); a31.addProduct(u3, v)
    v = ld(y2, c); a02.addProduct(u0, v); a12.addProduct(u1, v); a22.addProduct(u2, v); a32.addProduct(u3, v)
    v = ld(y3, c); a03.addProduct(u0, v); a13.addProduct(u1, v); a23.addProduct(u2, v); a33.addProduct(u3, v)
    c += 8
  }
  out[0] = a00.sum(); out[1] = a01.sum(); out[2] = a02.sum(); out[3] = a03.sum(); out[4] = a10.sum(); out[5] = a11.sum(); out[6] = a12.sum(); out[7] = a13.sum()
  out[8] = a20.sum(); out[9] = a21.sum(); out[10] = a22.sum(); out[11] = a23.sum(); out[12] = a30.sum(); out[13] = a31.sum(); out[14] = a32.sum(); out[15] = a33.sum()
}
@inline(never) func tile16(_ rows: UnsafePointer<UInt16>, _ cols: Int, _ p: UnsafePointer<Int32>, _ q: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Float>) {
  let x0 = rows + Int(p[0]) * cols, x1 = rows + Int(p[1]) * cols, x2 = rows + Int(p[2]) * cols, x3 = rows + Int(p[3]) * cols
  let y0 = rows + Int(q[0]) * cols, y1 = rows + Int(q[1]) * cols, y2 = rows + Int(q[2]) * cols, y3 = rows + Int(q[3]) * cols
  var a00 = L(), a01 = L(), a02 = L(), a03 = L(), a10 = L(), a11 = L(), a12 = L(), a13 = L()
  var a20 = L(), a21 = L(), a22 = L(), a23 = L(), a30 = L(), a31 = L(), a32 = L(), a33 = L()
  var c = 0
  while c < cols {
    let u0 = ldh(x0, c), u1 = ldh(x1, c), u2 = ldh(x2, c), u3 = ldh(x3, c)
    var v = ldh(y0, c); a00.addProduct(u0, v); a10.addProduct(u1, v); a20.addProduct(u2, v); a30.addProduct(u3, v)
    v = ldh(y1, c); a01.addProduct(u0, v); a11.addProduct(u1, v); a21.addProduct(u2, v); a31.addProduct(u3, v)
    v = ldh(y2, c); a02.addProduct(u0, v); a12.addProduct(u1, v); a22.addProduct(u2, v); a32.addProduct(u3, v)
    v = ldh(y3, c); a03.addProduct(u0, v); a13.addProduct(u1, v); a23.addProduct(u2, v); a33.addProduct(u3, v)
    c += 8
  }
  out[0] = a00.sum(); out[1] = a01.sum(); out[2] = a02.sum(); out[3] = a03.sum(); out[4] = a10.sum(); out[5] = a11.sum(); out[6] = a12.sum(); out[7] = a13.sum()
  out[8] = a20.sum(); out[9] = a21.sum(); out[10] = a22.sum(); out[11] = a23.sum(); out[12] = a30.sum(); out[13] = a31.sum(); out[14] = a32.sum(); out[15] = a33.sum()
}

let n = 70000, cols = 784, cand = 32
var state: UInt64 = 12345
func rnd() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
let rows = UnsafeMutablePointer<Float>.allocate(capacity: n * cols)
for i in 0..<(n * cols) { rows[i] = Float(rnd() % 1000) / 100 }
let half = UnsafeMutablePointer<UInt16>.allocate(capacity: n * cols)
for i in 0..<(n * cols) { half[i] = UInt16(truncatingIfNeeded: rows[i].bitPattern >> 16) }
// Candidate lists: each point's candidates near it in index (locality), like the locality order.
let lists = UnsafeMutablePointer<Int32>.allocate(capacity: n * cand)
for i in 0..<n { for e in 0..<cand { let off = Int(rnd() % UInt64(2 * spread)) - spread; lists[i * cand + e] = Int32(min(n - 1, max(0, i + off))) } }
var out = [Float](repeating: 0, count: 16)
var sink: Float = 0
for rep in 0..<5 {
  var t = now()
  for i in 0..<n {
    let l = lists + i * cand
    for r in stride(from: 0, to: cand, by: 4) { for c in stride(from: r, to: cand, by: 4) { tile32(rows, cols, l + r, l + c, &out); sink += out[5] } }
  }
  let t32 = now() - t
  t = now()
  for i in 0..<n {
    let l = lists + i * cand
    for r in stride(from: 0, to: cand, by: 4) { for c in stride(from: r, to: cand, by: 4) { tile16(half, cols, l + r, l + c, &out); sink += out[5] } }
  }
  let t16 = now() - t
  let pairs = Double(n) * Double(cand * (cand + 4) / 2)
  print("spread", spread, "rep", rep, "ns a pair: float", t32 / pairs * 1e9, "bfloat16", t16 / pairs * 1e9)
}
print(sink)
