<?php
// A page served by php-cgi through Weir's FastCgiModule.
header('Content-Type: text/plain; charset=utf-8');
echo 'Hello from PHP ', PHP_VERSION, ' (', PHP_SAPI, ') on ', $_SERVER['SERVER_SOFTWARE'], "\n";
echo 'SCRIPT_NAME=', $_SERVER['SCRIPT_NAME'], "\n";
echo 'REQUEST_URI=', $_SERVER['REQUEST_URI'], "\n";
