import Foundation

/// Cluster keywords by class-based TF-IDF (Grootendorst 2022, BERTopic's c-TF-IDF).
///
/// All captions of a cluster form one document. A term's score in cluster c is
/// tf(t, c) / |c| * log(1 + A / f(t)), where |c| is the cluster's token count, A the mean token count
/// per cluster and f(t) the term's count over all clusters: frequent in this cluster, rare elsewhere.
/// Terms are lower-cased words of 3+ letters that are not stop words, plus bigrams of adjacent kept words.
public enum ClassTFIDF {
  /// The top terms of each class, best first.
  ///
  /// - Parameters:
  ///   - documents: captions.
  ///   - classes: class per caption (-1 = ignored), ids in 0..<classCount.
  ///   - termsPerClass: how many terms to return per class.
  ///   - bigrams: score adjacent word pairs too.
  public static func topTerms(
    documents: [String], classes: [Int], classCount: Int, termsPerClass: Int = 3, bigrams: Bool = true
  ) -> [[String]] {
    var counts = [[String: Float]](repeating: [:], count: classCount)
    var lengths = [Float](repeating: 0, count: classCount)
    var global: [String: Float] = [:]
    for (doc, c) in zip(documents, classes) where c >= 0 && c < classCount {
      let runs = tokenRuns(doc)
      let words = runs.flatMap { $0 }
      var terms = words
      // Bigrams only join words that were adjacent in the caption (no stop word between them).
      if bigrams { for run in runs where run.count > 1 { for i in 1..<run.count { terms.append(run[i - 1] + " " + run[i]) } } }
      // A caption votes once per term, so one long repetitive caption cannot own its cluster's label.
      for t in Set(terms) { counts[c][t, default: 0] += 1; global[t, default: 0] += 1 }
      lengths[c] += Float(words.count)
    }
    let mean = max(1, lengths.reduce(0, +) / Float(max(1, classCount)))
    return (0..<classCount).map { c in
      let scored = counts[c].map { t, n -> (String, Float) in
        // Bigrams that occur once are noise; require support of 2 captions.
        if t.contains(" ") && n < 2 { return (t, 0) }
        return (t, n / max(1, lengths[c]) * Float(log(1 + Double(mean / global[t]!))))
      }.filter { $0.1 > 0 }
      // Ties go to the bigram: "ice cream" says more than "cream" when both are equally distinctive.
      let ranked = scored.sorted { a, b in
        if abs(a.1 - b.1) > 1e-6 * max(a.1, b.1) { return a.1 > b.1 }
        let wa = a.0.contains(" "), wb = b.0.contains(" ")
        return wa != wb ? wa : a.0 < b.0
      }
      var chosen: [String] = []
      for (t, _) in ranked where chosen.count < termsPerClass {
        let parts = Set(t.split(separator: " ").map(String.init))
        // Skip a word already inside a chosen bigram, and a bigram whose words were both chosen.
        if chosen.contains(where: { $0.split(separator: " ").map(String.init).contains(t) }) { continue }
        if parts.count > 1 && parts.allSatisfy({ chosen.contains($0) }) { continue }
        if parts.count > 1 { chosen.removeAll { parts.contains($0) } }
        chosen.append(t)
      }
      return chosen
    }
  }

  /// Kept words grouped in runs of adjacent words: a stop word, short word or punctuation ends a run.
  static func tokenRuns(_ text: String) -> [[String]] {
    var runs: [[String]] = [[]]
    var word = ""
    func flush(_ separator: Character) {
      if word.count >= 3 && !StopWords.english.contains(word) {
        runs[runs.count - 1].append(word)
      } else if !word.isEmpty, !runs[runs.count - 1].isEmpty {
        runs.append([])
      }
      word = ""
      if separator != " " && !runs[runs.count - 1].isEmpty { runs.append([]) }
    }
    for ch in text.lowercased() {
      if ch.isLetter { word.append(ch) } else if ch == "'" || ch == "’" { continue } else { flush(ch) }
    }
    flush(".")
    return runs.filter { !$0.isEmpty }
  }
}

/// English stop words plus the boilerplate of image captions ("the image shows ... in the background").
enum StopWords {
  static let english: Set<String> = Set("""
    a about above after again against all also am an and any are around as at be because been before being \
    below between both but by can could did do does doing down during each few for from further had has have \
    having he her here hers herself him himself his how into is it its itself just more most my myself no nor \
    not now of off on once only or other our ours ourselves out over own same she should so some such than \
    that the their theirs them themselves then there these they this those through too under until very was \
    we were what when where which while who whom why will with would you your yours yourself yourselves \
    one two three its it's upon within without along across among toward towards onto via whose yet \
    image picture photo photograph shows showing show depicts depicting depicted features featuring \
    displays displaying appears appear seen visible scene background foreground overall setting style \
    creating create creates adds adding added giving gives sense atmosphere feel looks looking like \
    various several many much well another something someone side front behind near next top left right \
    center centre middle small large big image's slightly
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
}
