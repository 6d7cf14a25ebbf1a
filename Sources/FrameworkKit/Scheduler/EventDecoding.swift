import FairwayCore
import FairwayProto
import SwiftProtobuf

/// Reads events leniently: a master that leaves out a field our proto marks required (an older or
/// different implementation) must not make the SDK drop the subscription and reconnect forever.
enum EventDecoding {
    private static let jsonOptions: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }()

    static func decode(_ record: [UInt8], format: MessageFormat) throws -> Fairway_V1_Scheduler_Event {
        switch format {
        case .protobuf:
            return try Fairway_V1_Scheduler_Event(serializedBytes: record, partial: true)
        case .json:
            return try Fairway_V1_Scheduler_Event(jsonUTF8Bytes: record, options: jsonOptions)
        }
    }
}
