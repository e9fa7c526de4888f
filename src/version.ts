/** The API version (openapi.yaml `info.version`, the MCP server's version); one place to bump. */
export const API_VERSION = '0.1.0';
