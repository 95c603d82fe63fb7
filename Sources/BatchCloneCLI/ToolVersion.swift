/// The version of batch-clone: the one place it is written (`--version`, `version`, CI cache keys).
enum ToolVersion {
    static let current = "0.9.0"
}
