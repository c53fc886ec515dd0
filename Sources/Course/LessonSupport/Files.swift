import SystemPlatform

// Plain POSIX file helpers for the lessons (and for reading a lesson's own source), without
// Foundation.
//
//     let folder = makeTemporaryFolder("lesson14")
//     try writeFile(folder + "/notes.txt", Array("hello\n".utf8))
//     print(listDirectory(folder), try readFile(folder + "/notes.txt").count)
//     removeTree(folder)
//
// Python: `open(path, "rb").read()`, `os.listdir`, `tempfile.mkdtemp`, `shutil.rmtree`.

/// A failed file operation, with the system's explanation ("No such file or directory").
public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    public var description: String { String(cString: strerror(code)) }
}

/// The whole content of the file at `path`.
public func readFile(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, code: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { throw FileError(path: path, code: errno) }
        if count == 0 { return bytes }
        bytes += block[..<count]
    }
}

/// Writes `bytes` to a new file at `path` (replacing any file there).
public func writeFile(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileError(path: path, code: errno) }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { throw FileError(path: path, code: errno) }
        offset += written
    }
}

/// The names in a directory (without "." and ".."), sorted; empty if it cannot be read.
public func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Deletes `path` and everything below it (symbolic links are removed, never followed).
public func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
        for name in listDirectory(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// A new, empty folder under /tmp, named `prefix-XXXXXX`.
public func makeTemporaryFolder(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { fatalError("cannot create a folder in /tmp: \(String(cString: strerror(errno)))") }
    return String(cString: path)
}

/// The folder part of a path: "/a/b/main.swift" → "/a/b".
func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
