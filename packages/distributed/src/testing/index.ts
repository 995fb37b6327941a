export { startLocalRedis, localRedisUnavailable, REDIS_SERVER_BINARY, type LocalRedis } from './redisServer.js';
