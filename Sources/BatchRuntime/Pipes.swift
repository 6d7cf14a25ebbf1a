import Glibc
import Spawning

/// Close-on-exec pipes for a user command's standard streams.
enum Pipes {
    static func make() throws(BatchRuntimeError) -> (read: Int32, write: Int32) {
        guard let pipe = LinuxCalls.closeOnExecPipe() else {
            throw BatchRuntimeError("cannot create a pipe: \(LinuxCalls.errorText(errno))")
        }
        return pipe
    }

    static func close(_ pipe: (read: Int32, write: Int32)) {
        Glibc.close(pipe.read)
        Glibc.close(pipe.write)
    }
}
