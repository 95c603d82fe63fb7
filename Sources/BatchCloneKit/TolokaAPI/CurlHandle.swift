#if os(Linux)
    /// A libcurl easy handle with the multi handle that drives it and keeps its connections.
    ///
    /// Used by one transfer at a time: the transport hands it to one thread, which gives it back
    /// (or closes it) when the transfer ends.
    struct CurlHandle: @unchecked Sendable {
        let multi: LibCurl.Multi
        let easy: LibCurl.Easy

        init?(_ curl: LibCurl) {
            guard let multi = curl.multiInit() else { return nil }
            guard let easy = curl.easyInit() else {
                _ = curl.multiCleanup(multi)
                return nil
            }
            self.multi = multi
            self.easy = easy
        }

        /// Frees both handles and closes their connections.
        func close(_ curl: LibCurl) {
            _ = curl.multiCleanup(multi)
            curl.easyCleanup(easy)
        }
    }
#endif
