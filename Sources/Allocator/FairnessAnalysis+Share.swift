extension FairnessAnalysis.Share {
    /// Derives the shares from what it holds and its ideal allocation (a vector in `space`).
    init(
        id: String, used: [String: Double], offered: [String: Double], weight: Double,
        demand: [String: Double], ideal: [Double], unmetDemand: Bool, space: FairnessAnalysis.ResourceSpace
    ) {
        let held = FairnessAnalysis.ResourceSpace.add(space.vector(used), space.vector(offered))
        let dominant = space.dominant(held)
        let idealShare = space.dominantShare(ideal)
        self.init(
            id: id, used: used, offered: offered, dominantResource: dominant.resource,
            dominantShare: dominant.share, weight: weight,
            weightedShare: weight > 0 ? dominant.share / weight : 0,
            demand: demand, idealShare: idealShare, gap: dominant.share - idealShare, unmetDemand: unmetDemand)
    }
}
