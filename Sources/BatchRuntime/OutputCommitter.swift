import Glibc
import Spawning

/// Hadoop's file output committer for one reduce partition, reduced to what a POSIX file system
/// gives atomically: the attempt writes `DIR/_temporary/<attempt>/part-NNNNN`, and commits with
/// `link(temp, DIR/part-NNNNN)`. `link` fails with EEXIST when the name exists, so when two attempts
/// (a retry and a speculative backup) both finish, the first wins and the second's records never
/// reach the output; readers never see a partial file.
struct OutputCommitter {
    let outputDirectory: String
    let attemptID: String
    let partition: Int

    var attemptDirectory: String {
        outputDirectory + "/" + MapReduceLayout.temporaryDirectory + "/" + attemptID
    }
    var temporaryPath: String { attemptDirectory + "/" + MapReduceLayout.partitionFileName(partition) }
    var finalPath: String { outputDirectory + "/" + MapReduceLayout.partitionFileName(partition) }

    /// Creates the attempt's directory and its empty output file; returns the open descriptor.
    func createTemporaryFile() throws(BatchRuntimeError) -> Int32 {
        try POSIXFiles.makeDirectories(attemptDirectory)
        return try POSIXFiles.createForWriting(temporaryPath, what: "reduce output file")
    }

    /// Flushes the finished file to disk, closes it and counts its lines and bytes.
    func finishTemporaryFile(_ fd: Int32) throws -> (records: Int64, bytes: Int64) {
        let synced = fsync(fd) == 0 ? 0 : errno
        close(fd)
        guard synced == 0 else {
            throw BatchRuntimeError("cannot flush reduce output \(temporaryPath) to disk: \(LinuxCalls.errorText(synced))")
        }
        let reader = LineReader(fd: try POSIXFiles.openForReading(temporaryPath, what: "reduce output file"),
                                name: "reduce output \(temporaryPath)", ownsDescriptor: true)
        var records: Int64 = 0
        while try reader.next({ _, _ in () }) != nil { records += 1 }
        return (records, reader.consumed)
    }

    /// Publishes the attempt's file; false when another attempt had already committed (its output
    /// stays, ours is dropped). Cleans the attempt's temporary directory either way.
    func commit() throws(BatchRuntimeError) -> Bool {
        defer { discard() }
        if link(temporaryPath, finalPath) == 0 {
            syncDirectory(outputDirectory)
            return true
        }
        let code = errno
        if code == EEXIST { return false }
        throw BatchRuntimeError("cannot commit \(temporaryPath) as \(finalPath): \(LinuxCalls.errorText(code))")
    }

    /// Removes the attempt's temporary directory, and `_temporary` when no other attempt uses it.
    func discard() {
        POSIXFiles.removeTree(attemptDirectory)
        rmdir(outputDirectory + "/" + MapReduceLayout.temporaryDirectory)
    }

    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
