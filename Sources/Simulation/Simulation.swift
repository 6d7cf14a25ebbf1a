/// Placeholder until the simulator lands: `fairway sim` runs the real allocator and master state
/// machine on a virtual clock.
enum Simulation {}
