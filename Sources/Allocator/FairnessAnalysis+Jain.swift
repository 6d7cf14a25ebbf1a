extension FairnessAnalysis {
    /// Jain's fairness index (Σx)² / (n·Σx²): 1 when all values are equal, 1/n when one of n holds
    /// everything. 1 for fewer than two values or when all are zero (nobody is treated worse).
    public static func jainIndex(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 1 }
        let sum = values.reduce(0, +)
        let sumOfSquares = values.reduce(0) { $0 + $1 * $1 }
        guard sumOfSquares > 0 else { return 1 }
        return sum * sum / (Double(values.count) * sumOfSquares)
    }
}
