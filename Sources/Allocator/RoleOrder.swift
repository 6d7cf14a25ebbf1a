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

    /// Whether some framework wants offers in `role` (the role is in the tree).
    func hasRole(_ role: String) -> Bool { frameworks[role] != nil }

    /// A node's parent in the tree (the root for a top-level role); nil for nodes not in it.
    func parentInTree(of node: String) -> String? { parents[node] }

    /// Takes a role and its whole subtree out of the walk (for the rest of a pass: a role at a
    /// quota limit, a guarantee met). The allocator rebuilds the order before the next pass.
    mutating func removeNode(_ path: String) {
        children[Self.parent(of: path)]?.remove(path)
    }

    /// True when the walk would visit nothing.
    var walksNothing: Bool { children[Self.root]?.count ?? 0 == 0 }

    /// A position in the walk of roles in order of service (a pre-order walk of the sorted tree),
    /// advanced with `next(in:)`. A loop over a cursor rather than a closure, so the allocator's
    /// hot path neither copies nor retains the allocator to visit roles.
    struct Cursor {
        private var stack: [(entries: [DRFSorter.Entry], index: Int)] = []
        private var started = false

        init() {}

        /// The next role with frameworks wanting offers, with them in DRF order; nil at the end.
        mutating func next(in order: RoleOrder) -> (role: String, members: DRFSorter)? {
            if !started {
                started = true
                if let top = order.children[RoleOrder.root] { stack.append((top.entries, 0)) }
            }
            while let top = stack.last {
                guard top.index < top.entries.count else {
                    stack.removeLast()
                    continue
                }
                let name = top.entries[top.index].name
                stack[stack.count - 1].index += 1
                if let role = order.ownGroupRoles[name] {
                    if let members = order.frameworks[role] { return (role, members) }
                } else if let sorter = order.children[name] {
                    stack.append((sorter.entries, 0))
                }
            }
            return nil
        }
    }
}
