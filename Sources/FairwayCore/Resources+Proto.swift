import FairwayProto

/// The resource list of a protobuf message did not make sense (unknown value type, negative scalar).
public struct InvalidResources: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Resources {
    /// Reads resources as frameworks send them, in either the pre- or post-refinement reservation
    /// format. Negative or non-finite scalars are an error, as they are in Mesos.
    public init(proto resources: [Fairway_V1_Resource]) throws(InvalidResources) {
        self.init()
        for resource in resources {
            guard !resource.name.isEmpty else { throw InvalidResources("a resource has no name") }
            let role = resource.reservations.last.map { $0.hasRole ? $0.role : "*" } ?? resource.role
            let key = ResourceKey(name: resource.name, role: role)
            switch resource.type {
            case .scalar:
                let value = resource.scalar.value
                guard resource.hasScalar, value.isFinite, value >= 0 else {
                    throw InvalidResources("resource '\(resource.name)' has invalid scalar value \(value)")
                }
                add(key, .scalar(Scalar(value)))
            case .ranges:
                var ranges = ValueRanges()
                for range in resource.ranges.range {
                    guard range.begin <= range.end else {
                        throw InvalidResources("resource '\(resource.name)' has range \(range.begin)-\(range.end) with begin after end")
                    }
                    ranges.insert(range.begin...range.end)
                }
                add(key, .ranges(ranges))
            case .set:
                add(key, .set(Set(resource.set.item)))
            case .text:
                throw InvalidResources("resource '\(resource.name)' has type TEXT, which resources cannot have")
            }
        }
    }

    /// Protobuf form, sorted by name. `allocationRole` fills `allocation_info` (MULTI_ROLE offers);
    /// static reservations are written in both the legacy `role` field and `reservations`.
    public func proto(allocationRole: String? = nil) -> [Fairway_V1_Resource] {
        values.sorted { $0.key < $1.key }.map { key, value in
            var resource = Fairway_V1_Resource()
            resource.name = key.name
            switch value {
            case .scalar(let scalar):
                resource.type = .scalar
                resource.scalar.value = scalar.value
            case .ranges(let ranges):
                resource.type = .ranges
                resource.ranges = ranges.proto
            case .set(let items):
                resource.type = .set
                resource.set.item = items.sorted()
            }
            resource.role = key.role ?? "*"
            if let role = key.role {
                var reservation = Fairway_V1_Resource.ReservationInfo()
                reservation.type = .static
                reservation.role = role
                resource.reservations = [reservation]
            }
            if let allocationRole { resource.allocationInfo.role = allocationRole }
            return resource
        }
    }
}

extension ValueRanges {
    public var proto: Fairway_V1_Value.Ranges {
        var proto = Fairway_V1_Value.Ranges()
        proto.range = ranges.map { range in
            var item = Fairway_V1_Value.Range()
            item.begin = range.lowerBound
            item.end = range.upperBound
            return item
        }
        return proto
    }
}
