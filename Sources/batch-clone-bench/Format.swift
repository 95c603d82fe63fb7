import Foundation

/// Number formats shared by the tables, so every figure of one kind reads the same.
enum Format {
    static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }

    static func ratio(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    static func milliseconds(_ seconds: Double) -> String {
        String(format: "%.2f ms", seconds * 1000)
    }

    static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
