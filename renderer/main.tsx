import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import './i18n';
import './styles.css';
import { AppProvider, useApp } from './state/app';
import { Shell } from './Shell';

// Stable screenshots under automation: no chart or UI animation.
export const AUTOMATED = typeof navigator !== 'undefined' && navigator.webdriver === true;

function Themed() {
  const { lang } = useApp();
  useEffect(() => {
    document.title = lang === 'zh-CN' ? 'Segmint 客户数据工作台' : 'Segmint customer-data workbench';
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#1f6feb',
          borderRadius: 6,
          fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif",
          motion: !AUTOMATED,
        },
      }}
    >
      <Shell />
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AntApp>
      <AppProvider>
        <Themed />
      </AppProvider>
    </AntApp>
  </StrictMode>,
);
