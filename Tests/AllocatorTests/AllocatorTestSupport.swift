import Allocator
import FairwayCore
import XCTest

/// Mesos resource text to `Resources`; test inputs are literals, so a parse error is a test bug.
func res(_ text: String) -> Resources {
    do {
        return try Resources(parsing: text)
    } catch {
        XCTFail("bad resource literal '\(text)': \(error)")
        return Resources()
    }
}

extension Array where Element == Allocation {
    /// The offers made to one framework.
    func to(_ frameworkID: String) -> [Allocation] { filter { $0.frameworkID == frameworkID } }
}
