import FairwayProto

/// Mesos's role rules: `*` alone, or `/`-separated components that are not empty, `.`, `..` or
/// `*`, do not start with `-`, and hold no whitespace or backspace.
enum RoleValidation {
    static func problem(with info: Fairway_V1_FrameworkInfo) -> String? {
        if info.isMultiRole {
            if info.hasRole { return "'FrameworkInfo.role' must not be set when the MULTI_ROLE capability is used; use 'roles'" }
            if Set(info.roles).count != info.roles.count { return "'FrameworkInfo.roles' contains duplicates" }
            for role in info.roles { if let problem = problem(withRole: role) { return problem } }
        } else {
            if !info.roles.isEmpty { return "'FrameworkInfo.roles' needs the MULTI_ROLE capability; use 'role' instead" }
            if let problem = problem(withRole: info.role) { return problem }
        }
        return nil
    }

    static func problem(withRole role: String) -> String? {
        if role == "*" { return nil }
        if role.isEmpty { return "Role name cannot be empty" }
        if role.hasPrefix("/") || role.hasSuffix("/") || role.contains("//") {
            return "Role '\(role)' cannot start or end with '/' or contain '//'"
        }
        for component in role.split(separator: "/") {
            if component == "." || component == ".." || component == "*" {
                return "Role '\(role)' cannot have a '\(component)' component"
            }
            if component.hasPrefix("-") { return "Role '\(role)' has a component starting with '-'" }
            if component.contains(where: { $0.isWhitespace || $0 == "\u{8}" }) {
                return "Role '\(role)' contains whitespace or backspace"
            }
        }
        return nil
    }
}
