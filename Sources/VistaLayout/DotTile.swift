/// Inner products of dense rows four by four, for NN-descent's local joins and leaves.
///
/// One pair at a time loads two values for every multiply-add, so it is bound by loads (about
/// 50 ns a pair of 784-wide rows held in L2 here); a 4 × 4 tile loads eight vectors for sixteen
/// multiply-adds (about 15 ns a pair). Each pair has its own 8-lane accumulator, summed in the same
/// order wherever the pair sits in a tile, so x·y is the same bit for bit in any tile, on its own
/// (`single`), and as y·x: the search does not depend on which pairs happened to share a tile.
enum DotTile {
  /// The 16 products rows[p[a]] · rows[q[b]] into out[4a + b], for four row indices in `p` and in `q`.
  @inline(__always)
  static func compute(rows: UnsafePointer<Float>, cols: Int, p: UnsafePointer<Int32>, q: UnsafePointer<Int32>,
                      out: UnsafeMutablePointer<Float>) {
    let x0 = rows + Int(p[0]) * cols, x1 = rows + Int(p[1]) * cols
    let x2 = rows + Int(p[2]) * cols, x3 = rows + Int(p[3]) * cols
    let y0 = rows + Int(q[0]) * cols, y1 = rows + Int(q[1]) * cols
    let y2 = rows + Int(q[2]) * cols, y3 = rows + Int(q[3]) * cols
    var a00 = Lanes(), a01 = Lanes(), a02 = Lanes(), a03 = Lanes()
    var a10 = Lanes(), a11 = Lanes(), a12 = Lanes(), a13 = Lanes()
    var a20 = Lanes(), a21 = Lanes(), a22 = Lanes(), a23 = Lanes()
    var a30 = Lanes(), a31 = Lanes(), a32 = Lanes(), a33 = Lanes()
    let whole = cols - cols % Lanes.scalarCount
    var c = 0
    while c < whole {
      let u0 = load(x0, c), u1 = load(x1, c), u2 = load(x2, c), u3 = load(x3, c)
      var v = load(y0, c)
      a00.addProduct(u0, v); a10.addProduct(u1, v); a20.addProduct(u2, v); a30.addProduct(u3, v)
      v = load(y1, c)
      a01.addProduct(u0, v); a11.addProduct(u1, v); a21.addProduct(u2, v); a31.addProduct(u3, v)
      v = load(y2, c)
      a02.addProduct(u0, v); a12.addProduct(u1, v); a22.addProduct(u2, v); a32.addProduct(u3, v)
      v = load(y3, c)
      a03.addProduct(u0, v); a13.addProduct(u1, v); a23.addProduct(u2, v); a33.addProduct(u3, v)
      c += Lanes.scalarCount
    }
    out[0] = finish(a00, x0, y0, whole, cols); out[1] = finish(a01, x0, y1, whole, cols)
    out[2] = finish(a02, x0, y2, whole, cols); out[3] = finish(a03, x0, y3, whole, cols)
    out[4] = finish(a10, x1, y0, whole, cols); out[5] = finish(a11, x1, y1, whole, cols)
    out[6] = finish(a12, x1, y2, whole, cols); out[7] = finish(a13, x1, y3, whole, cols)
    out[8] = finish(a20, x2, y0, whole, cols); out[9] = finish(a21, x2, y1, whole, cols)
    out[10] = finish(a22, x2, y2, whole, cols); out[11] = finish(a23, x2, y3, whole, cols)
    out[12] = finish(a30, x3, y0, whole, cols); out[13] = finish(a31, x3, y1, whole, cols)
    out[14] = finish(a32, x3, y2, whole, cols); out[15] = finish(a33, x3, y3, whole, cols)
  }

  /// x · y for one pair, summed exactly as `compute` sums it.
  @inline(__always)
  static func single(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, cols: Int) -> Float {
    var acc = Lanes()
    let whole = cols - cols % Lanes.scalarCount
    var c = 0
    while c < whole {
      acc.addProduct(load(x, c), load(y, c))
      c += Lanes.scalarCount
    }
    return finish(acc, x, y, whole, cols)
  }

  private typealias Lanes = SIMD8<Float>

  @inline(__always) private static func load(_ row: UnsafePointer<Float>, _ c: Int) -> Lanes {
    UnsafeRawPointer(row + c).loadUnaligned(as: Lanes.self)
  }

  /// The accumulator's lanes summed, then the columns past the last whole vector (the lanes' sum is
  /// symmetric in x and y, and so is each product, so x·y == y·x exactly).
  @inline(__always) private static func finish(_ acc: Lanes, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                               _ whole: Int, _ cols: Int) -> Float {
    var s = acc.sum()
    var c = whole
    while c < cols {
      s += x[c] * y[c]
      c += 1
    }
    return s
  }
}
