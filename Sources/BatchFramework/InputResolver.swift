import BatchCore
import Foundation
import Glibc

/// Expands a map/reduce job's inputs (files, directories, globs) into the files to split, and
/// checks the output directory, at submit time: a bad path is the user's error now, not a
/// failed task later.
enum InputResolver {
    /// Every regular file the inputs name, in order, each once; a directory stands for the files
    /// directly in it (hidden ones and `_`-prefixed ones, Hadoop's marker files, left out).
    static func files(for inputs: [String]) throws(JobAPIError) -> [InputFile] {
        var files: [InputFile] = []
        var seen: Set<String> = []
        for input in inputs {
            let matches = expand(input)
            guard !matches.isEmpty else {
                throw .invalid(["input \(input) does not exist (give files, directories or globs every agent can read)"])
            }
            for path in matches {
                var info = stat()
                guard stat(path, &info) == 0 else { throw .invalid(["cannot read input \(path): \(String(cString: strerror(errno)))"]) }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    for file in directoryFiles(path) where seen.insert(file.path).inserted { files.append(file) }
                } else if (info.st_mode & S_IFMT) == S_IFREG {
                    guard access(path, R_OK) == 0 else { throw .invalid(["input \(path) is not readable"]) }
                    if seen.insert(path).inserted { files.append(InputFile(path: path, size: Int(info.st_size))) }
                }
            }
        }
        return files
    }

    /// Checks that `output` can be created (or is an empty directory) and creates it, so reduce
    /// attempts can commit into it.
    static func prepareOutput(_ output: String) throws(JobAPIError) {
        guard output.hasPrefix("/") else { throw .invalid(["the output directory must be an absolute path, got \(output)"]) }
        var info = stat()
        if stat(output, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .invalid(["output \(output) exists and is not a directory"]) }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            guard entries.isEmpty else {
                throw .invalid(["output directory \(output) is not empty; give a new directory (jobs never overwrite output)"])
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw .invalid(["cannot create the output directory \(output): \(error.localizedDescription)"])
        }
    }

    private static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            return access(pattern, F_OK) == 0 ? [pattern] : []
        }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in matches.gl_pathv[index].map { String(cString: $0) } }
    }

    private static func directoryFiles(_ directory: String) -> [InputFile] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        return names.compactMap { name in
            guard !name.hasPrefix("."), !name.hasPrefix("_") else { return nil }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return InputFile(path: path, size: Int(info.st_size))
        }
    }
}
