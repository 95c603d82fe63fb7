#if os(Linux)
    import Foundation
    import Glibc

    /// libcurl's C API, loaded at run time from the `libcurl.so.4` FoundationNetworking already
    /// depends on, so building needs neither its headers nor a module map.
    ///
    /// The variadic `curl_easy_setopt` is called through fixed prototypes, one per argument
    /// kind; on the Linux ABIs (x86-64, AArch64) a variadic callee reads such calls correctly.
    struct LibCurl: Sendable {
        typealias Easy = OpaquePointer
        typealias Multi = OpaquePointer
        /// `size_t (char *data, size_t size, size_t count, void *context)`.
        typealias DataCallback =
            @convention(c) (
                UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?
            ) -> Int

        /// The options and codes used here, from curl.h (stable across libcurl 7 and 8).
        enum Option {
            static let writeData: Int32 = 10_001
            static let url: Int32 = 10_002
            static let httpHeader: Int32 = 10_023
            static let headerData: Int32 = 10_029
            static let customRequest: Int32 = 10_036
            static let post: Int32 = 47
            static let followLocation: Int32 = 52
            static let copyPostFields: Int32 = 10_165
            static let postFieldSize: Int32 = 60
            static let freshConnect: Int32 = 74
            static let forbidReuse: Int32 = 75
            static let httpGet: Int32 = 80
            static let noSignal: Int32 = 99
            static let timeoutMilliseconds: Int32 = 155
            static let writeFunction: Int32 = 20_011
            static let headerFunction: Int32 = 20_079
        }

        enum Code {
            static let ok: Int32 = 0
            static let couldNotResolveHost: Int32 = 6
            static let couldNotConnect: Int32 = 7
            static let partialFile: Int32 = 18
            static let writeError: Int32 = 23
            static let timedOut: Int32 = 28
            static let gotNothing: Int32 = 52
            static let sendError: Int32 = 55
            static let receiveError: Int32 = 56
            static let multiDone: Int32 = 1
        }

        let globalInit: @convention(c) (Int) -> Int32
        let easyInit: @convention(c) () -> Easy?
        let easyCleanup: @convention(c) (Easy?) -> Void
        let easyReset: @convention(c) (Easy?) -> Void
        let setLong: @convention(c) (Easy?, Int32, Int) -> Int32
        let setPointer: @convention(c) (Easy?, Int32, UnsafeRawPointer?) -> Int32
        let setData: @convention(c) (Easy?, Int32, DataCallback) -> Int32
        let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
        let listAppend: @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?
        let listFree: @convention(c) (OpaquePointer?) -> Void
        let multiInit: @convention(c) () -> Multi?
        let multiCleanup: @convention(c) (Multi?) -> Int32
        let multiAdd: @convention(c) (Multi?, Easy?) -> Int32
        let multiRemove: @convention(c) (Multi?, Easy?) -> Int32
        let multiPerform: @convention(c) (Multi?, UnsafeMutablePointer<Int32>) -> Int32
        let multiPoll:
            @convention(c) (Multi?, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutablePointer<Int32>?) -> Int32
        let multiInfoRead: @convention(c) (Multi?, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?

        /// The library, initialized once; nil when it cannot be loaded (no libcurl 7.66 or later).
        static let shared: LibCurl? = {
            guard let library = LibCurl() else { return nil }
            // CURL_GLOBAL_ALL, before any thread uses the library.
            guard library.globalInit(3) == Code.ok else { return nil }
            return library
        }()

        private init?() {
            guard let handle = dlopen("libcurl.so.4", RTLD_NOW) ?? dlopen("libcurl.so", RTLD_NOW) else { return nil }
            func load<T>(_ name: String, as type: T.Type) -> T? {
                dlsym(handle, name).map { unsafeBitCast($0, to: type) }
            }
            guard let globalInit = load("curl_global_init", as: (@convention(c) (Int) -> Int32).self),
                let easyInit = load("curl_easy_init", as: (@convention(c) () -> Easy?).self),
                let easyCleanup = load("curl_easy_cleanup", as: (@convention(c) (Easy?) -> Void).self),
                let easyReset = load("curl_easy_reset", as: (@convention(c) (Easy?) -> Void).self),
                let setLong = load("curl_easy_setopt", as: (@convention(c) (Easy?, Int32, Int) -> Int32).self),
                let setPointer = load(
                    "curl_easy_setopt",
                    as: (@convention(c) (Easy?, Int32, UnsafeRawPointer?) -> Int32).self
                ),
                let setData = load("curl_easy_setopt", as: (@convention(c) (Easy?, Int32, DataCallback) -> Int32).self),
                let strerror = load("curl_easy_strerror", as: (@convention(c) (Int32) -> UnsafePointer<CChar>?).self),
                let listAppend = load(
                    "curl_slist_append",
                    as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?).self
                ),
                let listFree = load("curl_slist_free_all", as: (@convention(c) (OpaquePointer?) -> Void).self),
                let multiInit = load("curl_multi_init", as: (@convention(c) () -> Multi?).self),
                let multiCleanup = load("curl_multi_cleanup", as: (@convention(c) (Multi?) -> Int32).self),
                let multiAdd = load("curl_multi_add_handle", as: (@convention(c) (Multi?, Easy?) -> Int32).self),
                let multiRemove = load("curl_multi_remove_handle", as: (@convention(c) (Multi?, Easy?) -> Int32).self),
                let multiPerform = load(
                    "curl_multi_perform",
                    as: (@convention(c) (Multi?, UnsafeMutablePointer<Int32>) -> Int32).self
                ),
                let multiPoll = load(
                    "curl_multi_poll",
                    as: (@convention(c) (
                        Multi?, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutablePointer<Int32>?
                    ) -> Int32).self
                ),
                let multiInfoRead = load(
                    "curl_multi_info_read",
                    as: (@convention(c) (Multi?, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?).self
                )
            else { return nil }
            self.globalInit = globalInit
            self.easyInit = easyInit
            self.easyCleanup = easyCleanup
            self.easyReset = easyReset
            self.setLong = setLong
            self.setPointer = setPointer
            self.setData = setData
            self.strerror = strerror
            self.listAppend = listAppend
            self.listFree = listFree
            self.multiInit = multiInit
            self.multiCleanup = multiCleanup
            self.multiAdd = multiAdd
            self.multiRemove = multiRemove
            self.multiPerform = multiPerform
            self.multiPoll = multiPoll
            self.multiInfoRead = multiInfoRead
        }

        func describe(_ code: Int32) -> String {
            strerror(code).map { String(cString: $0).lowercased() } ?? "libcurl error \(code)"
        }
    }
#endif
