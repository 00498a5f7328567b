import VistaCore

/// Builds a `RenderPlan` from a map with VISTA's semantic smoothing (paper §2): each window is
/// conditioned on a different caption of its region at each step, drawn from a pool that keeps only
/// clusters with at least `minimumPoints` points in the window and drops outliers.
///
/// Pool of a window: the members of the tiles it covers; when they hold fewer than `minimumPoints`,
/// rings of neighbouring tiles are borrowed (up to `borrowRadius`). Within the pool, clusters with
/// fewer than `minimumPoints` points are dropped (unless none has that many: then the largest stays),
/// then points far from their cluster's centre (latent cosine when codes are given, else the map's
/// density at the point) are dropped. The schedule cycles through a seeded shuffle of the pool with a
/// per-window offset: `pool[(step + offset) mod |pool|]`, so consecutive steps differ whenever the pool
/// has two or more captions, and every caption is used about equally.
public enum RenderPlanner {
  /// Makes the plan.
  ///
  /// - Parameters:
  ///   - map: the map (tiles, clusters, captions).
  ///   - latents: optional SAE codes (one row per point) for outlier removal in latent space.
  ///   - options: see `RenderPlanOptions`.
  ///   - provenance: extra key/values recorded in the plan (metric, lambda, UMAP options, seed...).
  /// - Throws: `VistaError` naming the option when the geometry is impossible.
  public static func plan(
    map: CaptionMap, latents: SparseMatrix? = nil, options: RenderPlanOptions = RenderPlanOptions(),
    provenance: [String: String] = [:]
  ) throws -> RenderPlan {
    let grid = map.tiles
    guard options.steps >= 1 else { throw VistaError("steps must be at least 1", at: "option steps") }
    guard options.latentScale >= 1, options.tilePixels % options.latentScale == 0 else {
      throw VistaError("tile pixels \(options.tilePixels) must be a multiple of the latent scale \(options.latentScale)", at: "option tile_pixels")
    }
    let tileLatent = options.tilePixels / options.latentScale
    let latentW = grid.columns * tileLatent, latentH = grid.rows * tileLatent
    guard options.window >= 1, options.window <= min(latentW, latentH) else {
      throw VistaError("window \(options.window) must be between 1 and the canvas' shorter latent side \(min(latentW, latentH))", at: "option window")
    }
    guard options.stride >= 1, options.stride <= options.window else {
      throw VistaError("stride must be between 1 and the window (\(options.window))", at: "option stride")
    }
    guard options.mask == "tent" || options.mask == "flat" else {
      throw VistaError("mask must be tent or flat, got \(options.mask)", at: "option mask")
    }
    if let latents, latents.rows != map.count {
      throw VistaError("\(latents.rows) latent rows for \(map.count) points", at: "latents")
    }
    let outlier = OutlierFilter(map: map, latents: latents, mads: options.outlierMADs)
    func origins(_ length: Int) -> [Int] {
      var xs = Array(stride(from: 0, through: length - options.window, by: options.stride))
      if xs.last! != length - options.window { xs.append(length - options.window) }
      return xs
    }
    var windows: [RenderPlan.Window] = []
    var pools: [[Int]] = []
    for y0 in origins(latentH) {
      for x0 in origins(latentW) {
        let c0 = x0 / tileLatent, c1 = (x0 + options.window - 1) / tileLatent
        let r0 = y0 / tileLatent, r1 = (y0 + options.window - 1) / tileLatent
        var covered: [Int] = []
        for r in r0...r1 { for c in c0...c1 { covered.append(r * grid.columns + c) } }
        var candidates = covered.flatMap { grid.tiles[$0].members }
        var borrowed: [Int] = []
        var ring = 1
        while candidates.count < options.minimumPoints && ring <= options.borrowRadius {
          for r in (r0 - ring)...(r1 + ring) where r >= 0 && r < grid.rows {
            for c in (c0 - ring)...(c1 + ring) where c >= 0 && c < grid.columns {
              let inner = r >= r0 - ring + 1 && r <= r1 + ring - 1 && c >= c0 - ring + 1 && c <= c1 + ring - 1
              if inner { continue }
              let t = r * grid.columns + c
              if !grid.tiles[t].members.isEmpty { borrowed.append(t); candidates += grid.tiles[t].members }
            }
          }
          ring += 1
        }
        let (pool, cluster) = smoothPool(candidates, map: map, minimum: options.minimumPoints, outlier: outlier)
        windows.append(RenderPlan.Window(id: windows.count, x0: x0, y0: y0, w: options.window, h: options.window, tiles: covered, borrowedTiles: borrowed, cluster: cluster, pool: []))
        pools.append(pool)
      }
    }
    // Caption ids: the used points in ascending order.
    let used = Array(Set(pools.joined())).sorted()
    var idOf: [Int: Int] = [:]
    for (k, p) in used.enumerated() { idOf[p] = k }
    let captions = used.enumerated().map { RenderPlan.Caption(id: $0.offset, point: $0.element, text: map.captions[$0.element]) }
    var rng = SeededGenerator(seed: options.seed)
    var cycles: [[Int]] = []
    var offsets: [Int] = []
    for w in windows.indices {
      var ids = pools[w].map { idOf[$0]! }
      ids.shuffle(using: &rng)
      windows[w].pool = ids.sorted()
      cycles.append(ids)
      offsets.append(ids.isEmpty ? 0 : Int(rng.next() % UInt64(ids.count)))
    }
    let schedule = (0..<options.steps).map { step in
      windows.indices.map { w in cycles[w].isEmpty ? -1 : cycles[w][(step + offsets[w]) % cycles[w].count] }
    }
    var record = provenance
    record["grid"] = grid.columns.description + "x" + grid.rows.description
    record["minimum_tile_count"] = String(grid.minimumCount)
    record["map_seed"] = String(map.options.seed)
    record["plan_seed"] = String(options.seed)
    record["knn_graph"] = map.graphFromLatents ? "latent" : "map-2d"
    record["outliers"] = latents == nil ? "map density" : "latent cosine to cluster centre"
    record["generator"] = "vista VistaMap.RenderPlanner v1"
    return RenderPlan(
      canvas: .init(width: latentW * options.latentScale, height: latentH * options.latentScale, latentScale: options.latentScale, latentChannels: options.latentChannels, latentWidth: latentW, latentHeight: latentH, seed: options.seed),
      model: .init(name: options.model, steps: options.steps, guidance: options.guidance, scheduler: options.scheduler, shift: options.shift, backgroundPrompt: options.backgroundPrompt),
      windowing: .init(size: options.window, stride: options.stride, mask: options.mask, tileSize: tileLatent, gridColumns: grid.columns, gridRows: grid.rows),
      windows: windows, captions: captions, schedule: schedule, provenance: record)
  }

  /// Keeps clusters with enough points in the pool and drops outliers; returns points and the main cluster.
  static func smoothPool(_ candidates: [Int], map: CaptionMap, minimum: Int, outlier: OutlierFilter) -> ([Int], Int) {
    guard !candidates.isEmpty else { return ([], -1) }
    var groups: [Int: [Int]] = [:]
    for p in candidates { groups[map.clusters.coarse[p], default: []].append(p) }
    let ranked = groups.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
    var kept = ranked.filter { $0.key >= 0 && $0.value.count >= minimum }
    if kept.isEmpty { kept = [ranked[0]] }
    var pool: [Int] = []
    for (cluster, members) in kept {
      let inliers = members.filter { !outlier.isOutlier($0, cluster: cluster) }
      if inliers.count >= min(minimum, members.count) {
        pool += inliers
      } else {
        // Never shrink a group below the minimum: keep its most typical members instead.
        pool += members.sorted { outlier.score($0) > outlier.score($1) }.prefix(min(minimum, members.count))
      }
    }
    return (pool.sorted(), kept[0].key)
  }
}

/// Decides whether a point is typical of its cluster: cosine to the cluster's mean latent code, or
/// (without codes) the map's density at the point; outliers lie more than `mads` MADs below the median.
struct OutlierFilter {
  var scores: [Float]
  var thresholds: [Int: Float]

  init(map: CaptionMap, latents: SparseMatrix?, mads: Float) {
    let n = map.count
    var scores = [Float](repeating: 0, count: n)
    let members = map.clusters.coarseMembers
    if let latents {
      for group in members {
        var centre = [Float](repeating: 0, count: latents.cols)
        for i in group {
          let norm = Self.norm(latents, row: i)
          for e in latents.rowPointers[i]..<latents.rowPointers[i + 1] { centre[Int(latents.columnIndices[e])] += latents.values[e] / norm }
        }
        let cn = max(1e-12, centre.reduce(0) { $0 + $1 * $1 }.squareRoot())
        for i in group {
          var dot: Float = 0
          for e in latents.rowPointers[i]..<latents.rowPointers[i + 1] { dot += latents.values[e] * centre[Int(latents.columnIndices[e])] }
          scores[i] = dot / (cn * Self.norm(latents, row: i))
        }
      }
    } else {
      for i in 0..<n { scores[i] = map.density.value(at: map.layout.positions[i]) }
    }
    var thresholds: [Int: Float] = [:]
    for (c, group) in members.enumerated() where !group.isEmpty {
      let values = group.map { scores[$0] }.sorted()
      let median = values[values.count / 2]
      let deviations = values.map { abs($0 - median) }.sorted()
      let mad = deviations[deviations.count / 2]
      thresholds[c] = median - mads * max(mad, 1e-6 * max(abs(median), 1e-6))
    }
    self.scores = scores
    self.thresholds = thresholds
  }

  static func norm(_ m: SparseMatrix, row: Int) -> Float {
    var s: Float = 0
    for e in m.rowPointers[row]..<m.rowPointers[row + 1] { s += m.values[e] * m.values[e] }
    return max(s.squareRoot(), 1e-12)
  }

  func score(_ point: Int) -> Float { scores[point] }

  func isOutlier(_ point: Int, cluster: Int) -> Bool {
    guard let t = thresholds[cluster] else { return false }
    return scores[point] < t
  }
}
