/// The bytes to and from one Redis server; a socket in use, a scripted fake in tests.
protocol RedisByteStream: AnyObject {
    /// Writes all of `bytes`, or throws.
    func write(_ bytes: [UInt8]) throws(RedisError)
    /// Reads what is available (at least one byte), waiting up to the I/O timeout; throws at end of stream.
    func read() throws(RedisError) -> [UInt8]
    func close()
}
