import Foundation

enum VersionJSON {
    static func body() -> [UInt8] {
        let object: [String: Any] = [
            "version": FairwayVersion.mesosCompatible,
            "fairway_version": FairwayVersion.fairway,
            "build_date": "", "build_time": 0, "build_user": "",
            "git_sha": "", "git_branch": "", "git_tag": "",
        ]
        return JSONBody.encode(object)
    }
}

/// JSON for the human-facing (v0) endpoints, built from plain dictionaries.
enum JSONBody {
    static func encode(_ object: Any) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return Array("{}".utf8)
        }
        return Array(data)
    }
}
