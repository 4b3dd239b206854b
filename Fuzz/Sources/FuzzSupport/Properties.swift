import CFuzzer
import Foundation
import PressCore

/// Runs libFuzzer with `callback` for each input; the targets' entry points call it.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// The properties every target checks, beyond "no crash". A violation traps, so libFuzzer keeps the input.
public enum Property {
    /// Every diagnostic names `file` (or one of `files`), and its message is one line of bounded length:
    /// values from the input are quoted cut to 80 characters.
    public static func diagnostics(_ diagnostics: [Diagnostic], name files: Set<String>) {
        self.diagnostics(diagnostics) { files.contains($0) }
    }

    public static func diagnostics(_ diagnostics: [Diagnostic], naming isExpected: (String) -> Bool) {
        for diagnostic in diagnostics {
            check(isExpected(diagnostic.location.file), "diagnostic names another file: \(diagnostic)")
            check(!diagnostic.message.contains("\n"), "message spans lines: \(diagnostic)")
            check(diagnostic.message.utf8.count < 2_000, "message of \(diagnostic.message.utf8.count) bytes")
        }
    }

    /// No value from the input reaches the HTML unescaped: raw HTML is off, so no tag the input wrote survives.
    public static func html(_ html: String, from input: String) {
        for tag in ["<script", "<iframe", "<img", "<style", "<object"] where html.localizedCaseInsensitiveContains(tag) {
            check(false, "output HTML contains \(tag) from the input")
        }
    }

    public static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition {
            FileHandle.standardError.write(Data(("property violated: " + message() + "\n").utf8))
            abort()
        }
    }
}
