/// Who is offered resources first: hierarchical DRF over the role tree, then DRF over the
/// frameworks inside each role.
///
/// Roles are paths (`eng/batch`). Every node keeps its children sorted by weighted dominant share
/// of their whole subtree; the frameworks subscribed directly to a role compete with its child
/// roles as one more child, `role/.` (a path Mesos also forbids as a role name, so it cannot clash),
/// whose share is what the role holds itself. A pre-order walk of the sorted tree is the order of
/// service. Only roles with a framework that wants offers are in the tree.
///
/// Updating one framework's share re-sorts it in its role and moves the role and its ancestors in
/// their parents' sorters: O(depth · log n) per change, never a full re-sort.
struct RoleOrder: Sendable {
    static let root = ""

    /// Sorted children of each node; `root` holds the top-level roles.
    private(set) var children: [String: DRFSorter] = [:]
    /// Frameworks wanting offers, by the role they want them in.
    private(set) var frameworks: [String: DRFSorter] = [:]
    /// Roles where some framework has its own minimum allocatable resources.
    var rolesWithOwnMinimum: Set<String> = []
    /// Every distinct minimum of frameworks that have their own, and whether some framework
    /// goes by the default: together, what an agent's leftovers must meet for anyone to want them.
    var ownMinimums: Set<[String: Double]> = []
    var someUseDefaultMinimum = false
    /// The parent of every node in the tree (a role's own group's parent is the role), so
    /// updates on the hot path do not take paths apart.
    private var parents: [String: String] = [:]
    /// Own-group node name → its role.
    private var ownGroupRoles: [String: String] = [:]

    init() {}

    var isEmpty: Bool { frameworks.isEmpty }

    /// Every node below the root: roles (with their ancestors) and roles' own groups.
    var nodes: [String] { children.values.flatMap { $0.entries.map(\.name) } }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return root }
        return String(path[..<slash])
    }

    static func ownGroup(of role: String) -> String { role + "/." }

    static func isOwnGroup(_ name: String) -> Bool { name.hasSuffix("/.") }

    /// Adds a framework wanting offers in `role`, creating the role's path in the tree.
    mutating func insert(frameworkID: String, role: String, share: Double) {
        let isNewRole = frameworks[role] == nil
        frameworks[role, default: DRFSorter()].update(frameworkID, share: share)
        guard isNewRole else { return }
        // Link the role's own group, then every missing ancestor, with share 0 until updated.
        let group = Self.ownGroup(of: role)
        children[role, default: DRFSorter()].update(group, share: 0)
        parents[group] = role
        ownGroupRoles[group] = role
        var child = role
        while child != Self.root {
            let parent = Self.parent(of: child)
            if children[parent]?.share(of: child) != nil { break }
            children[parent, default: DRFSorter()].update(child, share: 0)
            parents[child] = parent
            child = parent
        }
    }

    mutating func updateFramework(_ frameworkID: String, role: String, share: Double) {
        guard frameworks[role]?.share(of: frameworkID) != nil else { return }
        frameworks[role]?.update(frameworkID, share: share)
    }

    /// Sets the share a node (a role's subtree, or a role's own group) has in its parent.
    mutating func updateNode(_ name: String, share: Double) {
        guard let parent = parents[name], children[parent]?.share(of: name) != nil else { return }
        children[parent]?.update(name, share: share)
    }

    /// The role's own group and its ancestors (the role, its parent, ... up to a top-level
    /// role): the nodes whose share changes when what a framework holds in `role` changes.
    func nodesAbove(role: String) -> [String] {
        guard frameworks[role] != nil else { return [] }
        var nodes = [Self.ownGroup(of: role)]
        var path = role
        while let parent = parents[path] {
            nodes.append(path)
            if parent == Self.root { break }
            path = parent
        }
        return nodes
    }

    /// Takes a role and its whole subtree out of the walk (for the rest of a pass: a role at a
    /// quota limit, a guarantee met). The allocator rebuilds the order before the next pass.
    mutating func removeNode(_ path: String) {
        children[Self.parent(of: path)]?.remove(path)
    }

    /// True when the walk would visit nothing.
    var walksNothing: Bool { children[Self.root]?.count ?? 0 == 0 }

    /// Walks roles in order of service; `visit` gets each role with its frameworks in DRF order
    /// and returns true to stop the walk.
    func walk(_ visit: (_ role: String, _ frameworks: DRFSorter) -> Bool) {
        _ = walk(node: Self.root, visit)
    }

    private func walk(node: String, _ visit: (String, DRFSorter) -> Bool) -> Bool {
        guard let sorter = children[node] else { return false }
        for entry in sorter.entries {
            if let role = ownGroupRoles[entry.name] {
                if let members = frameworks[role], visit(role, members) { return true }
            } else if walk(node: entry.name, visit) {
                return true
            }
        }
        return false
    }
}
