/// Cuts input files into map splits, pure and deterministic (files in the order given).
public enum SplitPlanner {
    /// Hadoop's `SPLIT_SLOP`: a tail of up to 10 % over the split size stays in the last split rather
    /// than becoming a tiny extra map.
    public static let slop = 1.1

    /// The splits of `files`, each at most `splitSize` bytes except a last one of up to `slop × splitSize`.
    /// A file no larger than that is one split; an empty file gives none. A non-positive `splitSize`
    /// means one split per non-empty file.
    public static func splits(files: [InputFile], splitSize: Int) -> [InputSplit] {
        var result: [InputSplit] = []
        for file in files where file.size > 0 {
            guard splitSize > 0 else {
                result.append(InputSplit(path: file.path, offset: 0, length: file.size, hosts: file.hosts))
                continue
            }
            var offset = 0
            while Double(file.size - offset) > Double(splitSize) * slop {
                result.append(InputSplit(path: file.path, offset: offset, length: splitSize, hosts: file.hosts))
                offset += splitSize
            }
            result.append(InputSplit(path: file.path, offset: offset, length: file.size - offset, hosts: file.hosts))
        }
        return result
    }
}
